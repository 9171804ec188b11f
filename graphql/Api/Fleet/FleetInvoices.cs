using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Actors.Grains.Fleet;
using Actors.GraphQL.CodeFirst;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using NodaTime;
using Npgsql;
using NpgsqlTypes;

namespace Actors.Api.Fleet;

/// <summary>An invoice as the search lists it (fiche 11).</summary>
public sealed record FleetInvoiceItem(string Number, string CustomerNumber, string Month, InvoiceStatus Status, decimal Total, int Lines,
    Instant? IssuedAt, int Downloads);

/// <summary>
/// Signs invoice PDFs with ECDSA P-256 / SHA-256: a detached signature over the exact bytes served. The key comes from
/// configuration in production (PEM, shared by all silos) or is made per process.
/// </summary>
public sealed class FleetInvoiceSigner(string? privateKeyPem = null)
{
    private readonly ECDsa key = Load(privateKeyPem);

    private static ECDsa Load(string? pem)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        if (pem is not null) key.ImportFromPem(pem);
        return key;
    }

    public byte[] Sign(byte[] document) => key.SignData(document, HashAlgorithmName.SHA256);

    /// <summary>The public key (SubjectPublicKeyInfo PEM) that verifies every signature.</summary>
    public string PublicKeyPem => key.ExportSubjectPublicKeyInfoPem();
}

/// <summary>
/// Invoice documents: a PDF per invoice, marked Original or Duplicate, and the billing data file (CSV). Both
/// list the invoice's own month first (card use and toll), then the corrections: use of earlier months that reached
/// their invoice after it was issued, each naming its month.
/// </summary>
public static class FleetInvoiceDocuments
{
    /// <summary>The invoice as PDF (see <see cref="FleetInvoicePdf"/>).</summary>
    public static byte[] Pdf(InvoiceDownload download, string customerName) => FleetInvoicePdf.Render(download, customerName);

    /// <summary>
    /// The billing data file: one line per card or OBU and product, for the customer's own accounting. <c>kind</c> is
    /// CARD or TOLL; <c>for_month</c> names the month of a correction line and is empty for the invoice's own month.
    /// </summary>
    public static byte[] BillingData(InvoiceView invoice)
    {
        var csv = new StringBuilder("invoice;month;card_or_obu;product;quantity;amount;transactions;kind;for_month\n");
        foreach (var l in invoice.Lines)
            csv.Append(CultureInfo.InvariantCulture,
                $"{invoice.Number};{invoice.Month};{l.CardOrObuNumber};{l.Product};{l.Quantity:0.00#};{l.Amount:0.00};{l.Transactions};{l.Kind.ToString().ToUpperInvariant()};{l.ForMonth}\n");
        return Encoding.UTF8.GetBytes(csv.ToString());
    }

    /// <summary>The invoice grain of a number (<c>customer-yyyyMM</c>), or null when it is not one.</summary>
    public static string? GrainKey(string number)
    {
        var dash = number.LastIndexOf('-');
        return dash > 0 && number.Length - dash == 7 && int.TryParse(number[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var ym)
            && ym % 100 is >= 1 and <= 12
            ? InvoiceGrain.KeyOf(number[..dash], new YearMonth(ym / 100, ym % 100))
            : null;
    }
}

/// <summary>Fiche 11's search: the caller's invoices (module My invoices), with where (status, number) and order.</summary>
[ExtendObjectType("Query")]
public sealed class FleetInvoiceQueries
{
    /// <summary>The caller's invoices; <paramref name="access"/> is the token of <c>unlockInvoices</c> (the password asked again).</summary>
    [UsePaging(DefaultPageSize = 50, MaxPageSize = 500)]
    [UseFiltering]
    [UseSorting]
    public async Task<IReadOnlyList<FleetInvoiceItem>> FleetInvoices(ClaimsPrincipal user, string? access, [Service] FleetAccess fleetAccess,
        [Service] FleetTokens tokens, [Service] NpgsqlDataSource dataSource)
    {
        var (login, _) = await fleetAccess.Of(user);
        FleetInvoiceAccess.Require(tokens, login, access);
        var customers = await fleetAccess.Customers(user, FleetModule.MyInvoices);
        if (customers.Count == 0) return [];
        await using var command = dataSource.CreateCommand(
            "SELECT number, customer_number, month, status, total, lines, issued_at, downloads FROM fleet_invoices WHERE customer_number = ANY($1) ORDER BY month DESC, number");
        command.Parameters.Add(new NpgsqlParameter { Value = customers.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        var items = new List<FleetInvoiceItem>();
        await using var r = await command.ExecuteReaderAsync();
        while (await r.ReadAsync())
            items.Add(new FleetInvoiceItem(r.GetString(0), r.GetString(1), r.GetString(2), Enum.Parse<InvoiceStatus>(r.GetString(3)), r.GetDecimal(4),
                r.GetInt32(5), r.IsDBNull(6) ? null : Instant.FromDateTimeUtc(r.GetDateTime(6)), r.GetInt32(7)));
        return items;
    }
}

/// <summary>One invoice with its lines (fiche 11's "properties of the invoice" before the download).</summary>
[ExtendObjectType("Query")]
public sealed class FleetInvoiceViews
{
    /// <summary>
    /// The caller's invoice of that number (<c>customer-yyyyMM</c>), open or issued, with its lines: the month's card use
    /// and toll, then corrections (<c>forMonth</c>); null when it is not the caller's. Reading it is no download.
    /// </summary>
    public async Task<InvoiceView?> FleetInvoice(ClaimsPrincipal user, string number, string? access, [Service] FleetAccess fleetAccess,
        [Service] FleetTokens tokens, [Service] IGrainFactory grains)
    {
        var (login, _) = await fleetAccess.Of(user);
        FleetInvoiceAccess.Require(tokens, login, access);
        var key = FleetInvoiceDocuments.GrainKey(number);
        if (key is null || !(await fleetAccess.Customers(user, FleetModule.MyInvoices)).Contains(key[..key.IndexOf('/')])) return null;
        return await grains.GetGrain<IInvoiceGrain>(key).Get();
    }
}

public static class FleetInvoiceEndpoints
{
    /// <summary>
    /// Fiche 11 downloads with a bearer token and the <c>Invoice-Access</c> header (the token of <c>unlockInvoices</c>;
    /// module My invoices): <c>{number}.pdf</c> (the first is the Original, then Duplicates; header
    /// <c>Invoice-Signature</c> holds the base64 detached ECDSA signature of the bytes), <c>{number}.csv</c> (billing data)
    /// and, open to anyone, <c>signing-key.pem</c> (the public key that verifies signatures).
    /// </summary>
    public static void MapFleetInvoices(this Microsoft.AspNetCore.Routing.IEndpointRouteBuilder endpoints, string prefix = "/fleet/invoices")
    {
        endpoints.MapGet($"{prefix}/signing-key.pem", (FleetInvoiceSigner signer) => Results.Text(signer.PublicKeyPem, "application/x-pem-file"));
        endpoints.MapGet($"{prefix}/{{document}}", async (HttpContext http, string document, FleetAccess access, FleetTokens tokens, IGrainFactory grains,
            FleetInvoiceSigner signer) =>
        {
            if (FleetInvoiceAccess.RefuseDownload(http, tokens) is { } refused) return refused;
            var pdf = document.EndsWith(".pdf", StringComparison.Ordinal);
            if (!pdf && !document.EndsWith(".csv", StringComparison.Ordinal)) return Results.NotFound();
            var number = document[..^4];
            var key = FleetInvoiceDocuments.GrainKey(number);
            var customers = await access.Customers(http.User, FleetModule.MyInvoices);
            if (key is null || !customers.Contains(key[..key.IndexOf('/')])) return Results.NotFound();
            var invoice = grains.GetGrain<IInvoiceGrain>(key);
            if ((await invoice.Get()) is not { Status: InvoiceStatus.Issued } issued) return Results.NotFound();
            if (!pdf) return Results.File(FleetInvoiceDocuments.BillingData(issued), "text/csv", $"{number}.csv");
            var customer = await grains.GetGrain<ICustomerGrain>(issued.CustomerNumber).Get();
            var bytes = FleetInvoiceDocuments.Pdf(await invoice.Download(), customer?.Name ?? issued.CustomerNumber);
            http.Response.Headers["Invoice-Signature"] = Convert.ToBase64String(signer.Sign(bytes));
            return Results.File(bytes, "application/pdf", $"{number}.pdf");
        }).RequireFleetUser();
    }
}
