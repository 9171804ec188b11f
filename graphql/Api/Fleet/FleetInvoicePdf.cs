using System.Globalization;
using Actors.Grains.Fleet;
using PdfSharp.Drawing;
using PdfSharp.Fonts;
using PdfSharp.Pdf;

namespace Actors.Api.Fleet;

/// <summary>
/// PDFsharp needs the font files it embeds: on Linux it has no system fonts of its own, so every face resolves to DejaVu
/// Sans (Debian <c>fonts-dejavu-core</c>), regular or bold.
/// </summary>
public sealed class DejaVuFontResolver : IFontResolver
{
    /// <summary>Where Debian's fonts-dejavu-core puts its faces; <c>ACTORS_FONT_DIR</c> names another folder.</summary>
    public static string Directory => Environment.GetEnvironmentVariable("ACTORS_FONT_DIR") is { Length: > 0 } directory
        ? directory : "/usr/share/fonts/truetype/dejavu";

    private static readonly Lazy<bool> Installed = new(() =>
    {
        GlobalFontSettings.FontResolver ??= new DejaVuFontResolver();
        return true;
    });

    /// <summary>Makes PDFsharp use this resolver (once per process).</summary>
    public static void Install() => _ = Installed.Value;

    public FontResolverInfo ResolveTypeface(string familyName, bool bold, bool italic) => new(bold ? "DejaVuSans-Bold" : "DejaVuSans");

    public byte[] GetFont(string faceName)
    {
        var path = Path.Combine(Directory, faceName + ".ttf");
        if (!File.Exists(path))
            throw new FileNotFoundException($"Invoices are set in DejaVu Sans, not found at {path}: apt-get install -y fonts-dejavu-core", path);
        return File.ReadAllBytes(path);
    }
}

/// <summary>
/// Fiche 11's invoice document: A4 pages as many as the lines need, each headed with the customer, the invoice number,
/// month and date and whether this copy is the Original or a Duplicate; the lines of the month, then the corrections of
/// earlier months, then the totals with VAT.
/// </summary>
public static class FleetInvoicePdf
{
    /// <summary>
    /// Station prices and toll tariffs are billed VAT included; the invoice shows the Belgian standard rate's share
    /// of the total. The seed names no rate: 21 % is Belgium's standard one.
    /// </summary>
    public const decimal VatRate = 0.21m;

    private const double Margin = 40, RowHeight = 15, PageWidth = 595, PageHeight = 842;
    private static readonly double[] ColumnX = [Margin, 175, 380, 470, PageWidth - Margin];
    private static readonly CultureInfo Numbers = CultureInfo.InvariantCulture;

    public static byte[] Render(InvoiceDownload download, string customerName)
    {
        DejaVuFontResolver.Install();
        var invoice = download.Invoice;
        using var document = new PdfDocument();
        var copy = download.Copy == InvoiceCopy.Original ? "ORIGINAL" : "DUPLICATE";
        document.Info.Title = $"Invoice {invoice.Number} ({copy})";
        document.Info.Subject = $"CardsOnline invoice for {invoice.CustomerNumber}, {invoice.Month}";
        document.Info.Author = "CardsOnline";
        if (invoice.IssuedAt is { } issued) document.Info.CreationDate = issued.ToDateTimeUtc();

        var regular = new XFont("DejaVu Sans", 9);
        var bold = new XFont("DejaVu Sans", 9, XFontStyleEx.Bold);
        var title = new XFont("DejaVu Sans", 16, XFontStyleEx.Bold);
        var pages = new List<PdfPage>();
        XGraphics? graphics = null;
        double y = 0;

        void NewPage()
        {
            graphics?.Dispose();
            var page = document.AddPage();
            page.Width = XUnit.FromPoint(PageWidth);
            page.Height = XUnit.FromPoint(PageHeight);
            pages.Add(page);
            graphics = XGraphics.FromPdfPage(page);
            y = Margin;
            graphics.DrawString($"Invoice {invoice.Number}", title, XBrushes.Black, new XPoint(Margin, y + 14));
            graphics.DrawString(copy, title, download.Copy == InvoiceCopy.Original ? XBrushes.DarkGreen : XBrushes.DarkRed,
                new XRect(Margin, y, PageWidth - 2 * Margin, 20), XStringFormats.TopRight);
            y += 34;
            foreach (var (label, value) in new[]
            {
                ("Customer", $"{customerName} ({invoice.CustomerNumber})"),
                ("Month", invoice.Month),
                ("Issued", invoice.IssuedAt?.InZone(FleetCalendar.Brussels).Date.ToString("yyyy-MM-dd", Numbers) ?? "-"),
            })
            {
                graphics.DrawString(label, bold, XBrushes.Black, new XPoint(Margin, y));
                graphics.DrawString(value, regular, XBrushes.Black, new XPoint(Margin + 70, y));
                y += RowHeight;
            }
            y += RowHeight / 2;
        }

        // Rows stop two rows above the bottom margin, leaving room for the page number.
        void Reserve(int rows)
        {
            if (y + rows * RowHeight > PageHeight - Margin - 2 * RowHeight) NewPage();
        }

        void Row(XFont font, params string[] cells)
        {
            Reserve(1);
            for (var i = 0; i < cells.Length; i++)
            {
                if (i < 2) graphics!.DrawString(cells[i], font, XBrushes.Black, new XPoint(ColumnX[i], y));
                else graphics!.DrawString(cells[i], font, XBrushes.Black, new XRect(ColumnX[i - 1], y - 9, ColumnX[i] - ColumnX[i - 1], RowHeight), XStringFormats.TopRight);
            }
            y += RowHeight;
        }

        void Rule()
        {
            graphics!.DrawLine(XPens.Gray, Margin, y - 10, PageWidth - Margin, y - 10);
        }

        NewPage();
        var own = invoice.Lines.Where(l => l.ForMonth is null).ToList();
        var corrections = invoice.Lines.Where(l => l.ForMonth is not null).ToList();
        Row(bold, "Card/OBU", "Product", "Quantity", "Amount (EUR)", "Count");
        Rule();
        foreach (var line in own) Row(regular, Cells(line, line.Product));
        if (corrections.Count > 0)
        {
            y += RowHeight / 2;
            Row(bold, "CORRECTIONS: use of earlier months, reported after their invoice was issued");
            foreach (var line in corrections) Row(regular, Cells(line, $"{line.Product} ({line.ForMonth})"));
            Row(bold, "", "Corrections", "", Money(corrections.Sum(l => l.Amount)), "");
        }
        y += RowHeight / 2;
        Reserve(3);   // the totals stay together
        Rule();
        var vat = Math.Round(invoice.Total - invoice.Total / (1 + VatRate), 2, MidpointRounding.AwayFromZero);
        Row(regular, "", "Total excluding VAT", "", Money(invoice.Total - vat), "");
        Row(regular, "", $"VAT {VatRate * 100:0} %", "", Money(vat), "");
        Row(bold, "", "TOTAL including VAT", "", Money(invoice.Total), "");
        graphics!.Dispose();

        // Page numbers once the number of pages is known.
        for (var i = 0; i < pages.Count; i++)
        {
            using var footer = XGraphics.FromPdfPage(pages[i], XGraphicsPdfPageOptions.Append);
            footer.DrawString($"{invoice.Number} - {copy} - page {i + 1} of {pages.Count}", regular, XBrushes.Gray,
                new XRect(Margin, PageHeight - Margin - 10, PageWidth - 2 * Margin, 12), XStringFormats.TopCenter);
        }
        using var output = new MemoryStream();
        document.Save(output, false);
        return output.ToArray();
    }

    // Quantities keep up to three decimals: toll is billed in kilometres to the metre.
    private static string[] Cells(InvoiceLine line, string product) =>
        [line.CardOrObuNumber, product, line.Quantity.ToString("0.00#", Numbers), Money(line.Amount), line.Transactions.ToString(Numbers)];

    private static string Money(decimal amount) => amount.ToString("#,##0.00", Numbers);
}
