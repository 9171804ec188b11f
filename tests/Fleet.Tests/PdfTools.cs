using System.Diagnostics;

namespace Actors.Fleet.Tests;

/// <summary>Reads PDFs the way a person would, with poppler (Debian poppler-utils): text per page, and pages as PNG images.</summary>
public static class PdfTools
{
    /// <summary>The text of every page, pages separated by form feeds.</summary>
    public static string Text(byte[] pdf) => Run("pdftotext", pdf, "-layout {0} -", out var text) ? text : throw new InvalidOperationException(text);

    /// <summary>Renders every page to PNG at <paramref name="dpi"/>; returns the image files in page order.</summary>
    public static string[] Png(byte[] pdf, string directory, int dpi = 50)
    {
        Directory.CreateDirectory(directory);
        if (!Run("pdftoppm", pdf, $"-png -r {dpi} {{0}} {Path.Combine(directory, "page")}", out var error)) throw new InvalidOperationException(error);
        return [.. Directory.GetFiles(directory, "page*.png").Order()];
    }

    private static bool Run(string tool, byte[] pdf, string arguments, out string output)
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(file, pdf);
            using var process = Process.Start(new ProcessStartInfo(tool, string.Format(arguments, file))
            {
                RedirectStandardOutput = true, RedirectStandardError = true,
            }) ?? throw new InvalidOperationException($"{tool} did not start (apt-get install -y poppler-utils)");
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEnd();
            process.WaitForExit();
            output = process.ExitCode == 0 ? stdout.Result : $"{tool} failed ({process.ExitCode}): {stderr}";
            return process.ExitCode == 0;
        }
        finally
        {
            File.Delete(file);
        }
    }
}
