using Actors.GraphQL.CodeFirst;
using Actors.Rules;
using NodaTime;

namespace Actors.Api;

/// <summary>The root of every query. Programs add their fields with <c>[ExtendObjectType("Query")]</c>.</summary>
public sealed class Query
{
    /// <summary>The silo's current time, from the same clock grains use.</summary>
    public Instant ServerTime([Service] IClock clock) => clock.GetCurrentInstant();

    /// <summary>Every policy workflow that is live, with its version (content hash) and the last error of its file.</summary>
    public IReadOnlyList<WorkflowInfo> Workflows([Service] WorkflowCatalog catalog) =>
        [.. catalog.Status.Workflows.Select(w => new WorkflowInfo(w.Name, w.Program, w.File, w.Version, w.LastError))];
}

/// <summary>A live policy workflow.</summary>
/// <param name="Name">The workflow's name, as grains ask for it.</param>
/// <param name="Program">The program folder: fleet, alfapass, uitpas.</param>
/// <param name="File">The file, relative to rules/workflows.</param>
/// <param name="Version">The content hash of the live version; every decision records it.</param>
/// <param name="LastError">Why the file's latest content was refused (the previous version stays live); null when it is live.</param>
public sealed record WorkflowInfo(string Name, string Program, string File, string? Version, string? LastError);
