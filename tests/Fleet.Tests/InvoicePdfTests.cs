using Actors.Api.Fleet;
using Actors.Grains.Fleet;
using NodaTime;

namespace Actors.Fleet.Tests;

/// <summary>Fiche 11's invoice PDF, read back with poppler: pages as the lines need, each marked, the totals with VAT at the end.</summary>
public sealed class InvoicePdfTests
{
    private static InvoiceView Invoice(int lines, int corrections) => new(
        "100200-202601", "100200", "2026-01", InvoiceStatus.Issued,
        [
            .. Enumerable.Range(1, lines).Select(i => new InvoiceLine(InvoiceLineKind.Card, $"78900001002{i:D5}", i % 2 == 0 ? "Diesel" : "AdBlue", 40.5m, 12.10m * i, 2)),
            .. Enumerable.Range(1, corrections).Select(i => new InvoiceLine(InvoiceLineKind.Toll, $"OBU{i:D4}", "Viapass class 4", 12.345m, 3m, 1, "2025-12")),
        ],
        Enumerable.Range(1, lines).Sum(i => 12.10m * i) + 3m * corrections, Instant.FromUtc(2026, 2, 2, 0, 0), 0);

    [Fact]
    public void A_long_invoice_takes_as_many_pages_as_its_lines_need_each_marked_with_the_totals_and_vat_at_the_end()
    {
        var invoice = Invoice(lines: 120, corrections: 3);
        var pdf = FleetInvoicePdf.Render(new InvoiceDownload(invoice, InvoiceCopy.Original), "ACME LOGISTICS");

        var pages = PdfTools.Text(pdf).Split('\f', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(4, pages.Length);   // 43 rows fit below a page's heading: the column heads, 120 lines, 5 rows of corrections and the 3 rows of totals, kept together, take four
        Assert.All(pages, page =>
        {
            Assert.Contains("ORIGINAL", page);
            Assert.Contains("ACME LOGISTICS (100200)", page);
            Assert.Contains("Invoice 100200-202601", page);
            Assert.Contains("2026-02-02", page);
        });
        Assert.Contains("page 4 of 4", pages[3]);
        var text = string.Join('\n', pages);
        Assert.All(Enumerable.Range(1, 120), i => Assert.Contains($"78900001002{i:D5}", text));
        Assert.Contains("Viapass class 4 (2025-12)", text);
        // 87,846 EUR of lines and 9 of corrections, VAT included: 87,855 is 72,607.44 and 21 % VAT of 15,247.56.
        Assert.Equal(87_855.00m, invoice.Total);
        Assert.Matches(@"Total excluding VAT\s+72,607\.44", pages[3]);
        Assert.Matches(@"VAT 21 %\s+15,247\.56", pages[3]);
        Assert.Matches(@"TOTAL including VAT\s+87,855\.00", pages[3]);

        var images = PdfTools.Png(pdf, Path.Combine(Path.GetTempPath(), $"invoice-{Guid.NewGuid():N}"));
        Assert.Equal(4, images.Length);
        File.Copy(PdfTools.Png(pdf, Path.Combine(Path.GetTempPath(), $"invoice-{Guid.NewGuid():N}"), dpi: 100)[0], "/tmp/invoice-page1.png", overwrite: true);
    }

    [Fact]
    public void A_duplicate_says_so_on_every_page()
    {
        var pdf = FleetInvoicePdf.Render(new InvoiceDownload(Invoice(lines: 60, corrections: 0), InvoiceCopy.Duplicate), "ACME LOGISTICS");
        var pages = PdfTools.Text(pdf).Split('\f', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(2, pages.Length);
        Assert.All(pages, page => Assert.Contains("DUPLICATE", page));
        Assert.DoesNotContain("ORIGINAL", string.Join('\n', pages));
    }
}
