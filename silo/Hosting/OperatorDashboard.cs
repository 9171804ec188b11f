using System.Security.Cryptography;
using System.Text;
using Orleans.Dashboard;

namespace Actors.Silo.Hosting;

/// <summary>
/// Orleans' dashboard for operators at <c>/dashboard</c>, behind an operator credential: HTTP basic authentication with
/// the user <c>operator</c> and the password in <c>Operator:Password</c>. Without one configured, nobody gets in.
/// </summary>
public static class OperatorDashboard
{
    public const string Path = "/dashboard";

    public static ISiloBuilder AddOperatorDashboard(this ISiloBuilder silo) => silo.AddDashboard();

    public static WebApplication MapOperatorDashboard(this WebApplication app)
    {
        var password = app.Configuration["Operator:Password"];
        app.UseWhen(http => http.Request.Path.StartsWithSegments(Path), branch => branch.Use(async (HttpContext http, RequestDelegate next) =>
        {
            if (password is { Length: > 0 } && IsOperator(http.Request.Headers.Authorization.ToString(), password))
            {
                await next(http);
                return;
            }
            http.Response.StatusCode = StatusCodes.Status401Unauthorized;
            http.Response.Headers.WWWAuthenticate = "Basic realm=\"operators\"";
            await http.Response.WriteAsJsonAsync(new
            {
                code = "OPERATORS_ONLY",
                message = password is { Length: > 0 } ? "The dashboard is for operators: log in as operator." : "The dashboard is closed: set Operator:Password to open it to operators.",
            });
        }));
        app.MapOrleansDashboard(Path);
        return app;
    }

    private static bool IsOperator(string header, string password)
    {
        if (!header.StartsWith("Basic ", StringComparison.Ordinal)) return false;
        string given;
        try { given = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim())); }
        catch (FormatException) { return false; }
        // Constant time, so the response time says nothing about how much of the password was right.
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes($"operator:{password}"));
    }
}
