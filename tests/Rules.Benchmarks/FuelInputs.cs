namespace Actors.Rules.Benchmarks;

/// <summary>A fuel card's limits and state, as the fuel-limit policy reads them.</summary>
public sealed class Card
{
    public string Status { get; set; } = "";
    public bool Blocked { get; set; }
    public string[] Products { get; set; } = [];
    public int DailyLiters { get; set; }
    public int MaxTransactionAmount { get; set; }
    public int MonthRemaining { get; set; }
    public int FromHour { get; set; }
    public int ToHour { get; set; }
    public bool WeekendAllowed { get; set; }
    public int LastOdometer { get; set; }
    public int TankSize { get; set; }
    public int DriverCode { get; set; }
    public int[] BlockedStations { get; set; } = [];
    public int FillsToday { get; set; }
    public int ExpiryYear { get; set; }
}

/// <summary>One fuel transaction at a pump.</summary>
public sealed class Fill
{
    public string Product { get; set; } = "";
    public int Liters { get; set; }
    public double PricePerLiter { get; set; }
    public double Amount { get; set; }
    public int Hour { get; set; }
    public int Weekday { get; set; }
    public string Country { get; set; } = "";
    public int Odometer { get; set; }
    public int Distance { get; set; }
    public int DriverCode { get; set; }
    public int StationId { get; set; }
}

/// <summary>Generates the benchmark's inputs; draws in the same order as js/bench.js so both engines see the same data.</summary>
public static class FuelInputs
{
    static readonly string[][] ProductLists = [["Diesel", "AdBlue"], ["Petrol"], ["Diesel", "Petrol", "AdBlue"]];
    static readonly string[] Products = ["Diesel", "Petrol", "AdBlue"];
    static readonly string[] Countries = ["BE", "NL", "LU", "FR", "DE", "ES", "IT"];

    public static (Card Card, Fill Fill)[] Generate(int count, uint seed)
    {
        var x = seed;
        int R(int n)
        {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            return (int)(x % (uint)n);
        }
        var inputs = new (Card, Fill)[count];
        for (var i = 0; i < count; i++)
        {
            var card = new Card();
            card.Status = R(10) == 0 ? "Suspended" : "Active";
            card.Blocked = R(20) == 0;
            card.Products = ProductLists[R(3)];
            card.DailyLiters = 50 + R(200);
            card.MaxTransactionAmount = 100 + R(300);
            card.MonthRemaining = R(2000);
            card.FromHour = R(8);
            card.ToHour = 18 + R(6);
            card.WeekendAllowed = R(2) == 0;
            card.LastOdometer = 10000 + R(200000);
            card.TankSize = 40 + R(160);
            card.DriverCode = 1000 + R(9000);
            card.BlockedStations = [R(500), R(500)];
            card.FillsToday = R(7);
            card.ExpiryYear = 2024 + R(5);
            var fill = new Fill();
            fill.Product = Products[R(3)];
            fill.Liters = 1 + R(220);
            var priceCents = 90 + R(220);
            fill.PricePerLiter = priceCents / 100.0;
            fill.Amount = fill.Liters * priceCents / 100.0;
            fill.Hour = R(24);
            fill.Weekday = 1 + R(7);
            fill.Country = Countries[R(7)];
            fill.Odometer = card.LastOdometer + R(2500) - 100;
            fill.Distance = fill.Odometer - card.LastOdometer;
            fill.DriverCode = R(10) == 0 ? 1000 + R(9000) : card.DriverCode;
            fill.StationId = R(500);
            inputs[i] = (card, fill);
        }
        return inputs;
    }

    /// <summary>The same policy as js/bench.js, in RulesEngine's format and dialect.</summary>
    public const string FuelLimitWorkflow = """
        {
          "WorkflowName": "FuelLimit",
          "Rules": [
            { "RuleName": "CardActive", "Expression": "card.Status == \"Active\"" },
            { "RuleName": "NotBlocked", "Expression": "card.Blocked == false" },
            { "RuleName": "ProductAllowed", "Expression": "card.Products.Contains(fill.Product)" },
            { "RuleName": "WithinDailyLiters", "Expression": "fill.Liters <= card.DailyLiters" },
            { "RuleName": "WithinTransactionAmount", "Expression": "fill.Amount <= card.MaxTransactionAmount" },
            { "RuleName": "WithinMonthlyAmount", "Expression": "fill.Amount <= card.MonthRemaining" },
            { "RuleName": "WithinHours", "Expression": "fill.Hour >= card.FromHour AND fill.Hour < card.ToHour" },
            { "RuleName": "CountryAllowed", "Expression": "fill.Country in (\"BE\", \"NL\", \"LU\", \"FR\", \"DE\")" },
            { "RuleName": "WeekendAllowed", "Expression": "card.WeekendAllowed OR fill.Weekday < 6" },
            { "RuleName": "OdometerIncreasing", "Expression": "fill.Odometer > card.LastOdometer" },
            { "RuleName": "DistancePlausible", "Expression": "fill.Distance < 2000" },
            { "RuleName": "FitsTank", "Expression": "fill.Liters <= card.TankSize" },
            { "RuleName": "PriceSane", "Expression": "fill.PricePerLiter >= 1.0 AND fill.PricePerLiter <= 3.0" },
            { "RuleName": "DriverCodeMatches", "Expression": "fill.DriverCode = card.DriverCode" },
            { "RuleName": "StationAllowed", "Expression": "NOT card.BlockedStations.Contains(fill.StationId)" },
            { "RuleName": "FewFillsToday", "Expression": "card.FillsToday < 5" },
            { "RuleName": "AdBlueSmall", "Expression": "fill.Product <> \"AdBlue\" OR fill.Liters <= 50" },
            { "RuleName": "CardNotExpired", "Expression": "card.ExpiryYear >= 2026" },
            { "RuleName": "AmountPositive", "Expression": "fill.Amount > 0" },
            { "RuleName": "LitersWithinPump", "Expression": "fill.Liters > 0 AND fill.Liters <= 200" }
          ]
        }
        """;
}
