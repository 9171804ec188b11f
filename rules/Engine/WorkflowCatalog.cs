using System.Collections.Immutable;

namespace Actors.Rules;

/// <summary>The state of one workflow in the catalog, for /health/ready and the logs.</summary>
/// <param name="Name">The workflow name.</param>
/// <param name="Program">The program folder under the catalog root (alfapass, uitpas, fleet ...).</param>
/// <param name="File">The file path relative to the catalog root.</param>
/// <param name="Version">Content hash of the live version; null when no good version was ever loaded.</param>
/// <param name="LastError">Why the file's latest content was refused (the live version stays the previous good one); null when the latest content is live.</param>
public sealed record WorkflowStatus(string Name, string Program, string File, string? Version, string? LastError);

/// <summary>A file whose content was refused; its workflows (if any were loaded before) stay at their last good version.</summary>
public sealed record FileError(string File, string Version, string Error);

/// <summary>Catalog state: every workflow with its version, and every file whose latest content is broken.</summary>
public sealed record CatalogStatus(IReadOnlyList<WorkflowStatus> Workflows, IReadOnlyList<FileError> Errors)
{
    /// <summary>True when every file's latest content is live.</summary>
    public bool Healthy => Errors.Count == 0;
}

/// <summary>What a rescan changed.</summary>
public sealed record CatalogChange(IReadOnlyList<string> Loaded, IReadOnlyList<string> Removed, IReadOnlyList<FileError> Refused);

/// <summary>The results of one evaluation and the workflow version (content hash) that produced them.</summary>
public sealed record WorkflowEvaluation(string WorkflowName, string Version, List<RuleResultTree> Results);

/// <summary>
/// Workflows loaded from <c>&lt;root&gt;/&lt;program&gt;/*.json</c> (tests files excepted). A changed file is parsed, validated and
/// checked beside the live version, then swapped in atomically; a broken file keeps its last good version live and reports why.
/// The file watcher only calls <see cref="Rescan"/>, which tests call directly.
/// </summary>
public sealed class WorkflowCatalog : IDisposable
{
    readonly string root;
    readonly ReSettings settings;
    readonly Lock gate = new();
    FileSystemWatcher? watcher;

    sealed record LoadedFile(string Path, string Version, IReadOnlyList<Workflow> Workflows);

    /// <summary>Live state, replaced as a whole: evaluations read one consistent snapshot.</summary>
    sealed record Snapshot(RulesEngine Engine, ImmutableDictionary<string, LoadedFile> Files, ImmutableDictionary<string, FileError> Errors);

    Snapshot live;

    /// <summary>Raised after a rescan that changed something (for logs).</summary>
    public event Action<CatalogChange>? Changed;

    /// <summary>Loads every workflow file under <paramref name="root"/>.</summary>
    public WorkflowCatalog(string root, ReSettings? settings = null)
    {
        this.root = Path.GetFullPath(root);
        this.settings = settings ?? new ReSettings();
        live = new Snapshot(new RulesEngine(this.settings), ImmutableDictionary<string, LoadedFile>.Empty, ImmutableDictionary<string, FileError>.Empty);
        Rescan();
    }

    /// <summary>The engine of the live snapshot (for callers that need RulesEngine's own API).</summary>
    public RulesEngine Engine => Volatile.Read(ref live).Engine;

    /// <summary>Starts watching the folder; every change triggers <see cref="Rescan"/>.</summary>
    public void Watch()
    {
        if (watcher is not null) return;
        Directory.CreateDirectory(root);
        watcher = new FileSystemWatcher(root, "*.json") { IncludeSubdirectories = true, NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size };
        FileSystemEventHandler onChange = (_, _) => RescanQuietly();
        watcher.Changed += onChange;
        watcher.Created += onChange;
        watcher.Deleted += onChange;
        watcher.Renamed += (_, _) => RescanQuietly();
        watcher.EnableRaisingEvents = true;
    }

    /// <summary>Watcher events run on pool threads: a failed rescan (folder gone, file locked) must not take the process down.</summary>
    void RescanQuietly()
    {
        try { Rescan(); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Changed?.Invoke(new CatalogChange([], [], [new FileError(root, "", "rescan failed: " + ex.Message)]));
        }
    }

    /// <summary>Reads the folder again and swaps in every file whose content changed and is valid.</summary>
    public CatalogChange Rescan()
    {
        lock (gate)
        {
            var current = live;
            var files = current.Files;
            var errors = current.Errors;
            var loaded = new List<string>();
            var prepared = new Dictionary<string, RulesEngine.PreparedWorkflow>(StringComparer.Ordinal);
            var refused = new List<FileError>();
            var paths = Directory.Exists(root)
                ? Directory.EnumerateFiles(root, "*.json", SearchOption.AllDirectories).Where(p => !p.EndsWith(".tests.json", StringComparison.OrdinalIgnoreCase)).Select(Relative).ToHashSet()
                : [];
            var removed = files.Keys.Where(k => !paths.Contains(k)).ToList();
            files = files.RemoveRange(removed);
            errors = errors.RemoveRange(errors.Keys.Where(k => !paths.Contains(k)));
            foreach (var path in paths.Order(StringComparer.Ordinal))
            {
                string text;
                try { text = File.ReadAllText(Path.Combine(root, path)); }
                catch (IOException) { continue; } // being written: the watcher calls again
                var version = RulesEngine.ContentHash(text);
                if (files.TryGetValue(path, out var existing) && existing.Version == version) { errors = errors.Remove(path); continue; }
                if (errors.TryGetValue(path, out var known) && known.Version == version) continue;
                var problem = Check(text, path, files, out var workflows);
                if (problem is null)
                {
                    // Compile beside the live version for the input shapes it already serves: a rule that stops compiling refuses the file.
                    var ready = workflows!.Select(w => current.Engine.PrepareBeside(w, version)).ToList();
                    var errorsBeside = ready.SelectMany(r => r.Errors).ToList();
                    if (errorsBeside.Count > 0) problem = string.Join(Environment.NewLine, errorsBeside);
                    else foreach (var r in ready) prepared[r.Registration.Workflow.WorkflowName!] = r;
                }
                if (problem is null)
                {
                    files = files.SetItem(path, new LoadedFile(path, version, workflows!));
                    errors = errors.Remove(path);
                    loaded.Add(path);
                }
                else
                {
                    var error = new FileError(path, version, problem);
                    errors = errors.SetItem(path, error);
                    refused.Add(error);
                }
            }
            if (loaded.Count == 0 && removed.Count == 0 && refused.Count == 0) return new CatalogChange([], [], []);
            var engine = current.Engine.WithWorkflows(files.Values.SelectMany(f => f.Workflows.Select(w => (w, f.Version))), prepared);
            Volatile.Write(ref live, new Snapshot(engine, files, errors));
            var change = new CatalogChange(loaded, removed, refused);
            Changed?.Invoke(change);
            return change;
        }
    }

    string Relative(string full) => Path.GetRelativePath(root, full).Replace('\\', '/');

    /// <summary>Everything that makes a file unusable: JSON, structure, syntax, security, names taken by another file.</summary>
    string? Check(string text, string path, ImmutableDictionary<string, LoadedFile> files, out IReadOnlyList<Workflow>? workflows)
    {
        workflows = null;
        try
        {
            var read = WorkflowReader.Read(text);
            var problems = read.SelectMany(w => WorkflowValidator.Problems(w).Concat(WorkflowValidator.SyntaxProblems(w))).ToList();
            foreach (var workflow in read)
            {
                var owner = files.Values.FirstOrDefault(f => f.Path != path && f.Workflows.Any(w => w.WorkflowName == workflow.WorkflowName));
                if (owner is not null) problems.Add($"Workflow '{workflow.WorkflowName}' is already defined in {owner.Path}");
            }
            if (read.Count == 0) problems.Add("The file holds no workflow");
            if (problems.Count > 0) return string.Join(Environment.NewLine, problems);
            workflows = read;
            return null;
        }
        catch (RuleValidationException ex)
        {
            return ex.Message;
        }
    }

    /// <summary>Runs a workflow on the live version; the result names that version.</summary>
    public ValueTask<WorkflowEvaluation> ExecuteAllRulesAsync(string workflowName, params RuleParameter[] inputs) =>
        ExecuteAllRulesAsync(workflowName, inputs, CancellationToken.None);

    /// <summary>Runs a workflow on the live version; stops with <see cref="OperationCanceledException"/> when cancelled.</summary>
    public async ValueTask<WorkflowEvaluation> ExecuteAllRulesAsync(string workflowName, RuleParameter[] inputs, CancellationToken cancellationToken)
    {
        var engine = Volatile.Read(ref live).Engine;
        var version = engine.GetWorkflowVersion(workflowName) ?? throw new ArgumentException($"Workflow '{workflowName}' is not in the catalog at {root}");
        var results = await engine.ExecuteAllRulesAsync(workflowName, inputs, cancellationToken);
        return new WorkflowEvaluation(workflowName, version, results);
    }

    /// <summary>Runs a workflow with inputs named input1..inputN.</summary>
    public ValueTask<WorkflowEvaluation> ExecuteAllRulesAsync(string workflowName, params object?[] inputs) =>
        ExecuteAllRulesAsync(workflowName, inputs.Select((v, i) => new RuleParameter($"input{i + 1}", v)).ToArray());

    /// <summary>Every workflow with its file and live version, and every refused file.</summary>
    public CatalogStatus Status
    {
        get
        {
            var snapshot = Volatile.Read(ref live);
            var workflows = snapshot.Files.Values
                .SelectMany(f => f.Workflows.Select(w => new WorkflowStatus(w.WorkflowName!, Program(f.Path), f.Path, f.Version, snapshot.Errors.GetValueOrDefault(f.Path)?.Error)))
                .Concat(snapshot.Errors.Values.Where(e => !snapshot.Files.ContainsKey(e.File))
                    .Select(e => new WorkflowStatus(Path.GetFileNameWithoutExtension(e.File), Program(e.File), e.File, null, e.Error)))
                .OrderBy(w => w.File, StringComparer.Ordinal).ThenBy(w => w.Name, StringComparer.Ordinal)
                .ToList();
            return new CatalogStatus(workflows, snapshot.Errors.Values.OrderBy(e => e.File, StringComparer.Ordinal).ToList());
        }
    }

    static string Program(string relativePath) => relativePath.Contains('/') ? relativePath[..relativePath.IndexOf('/')] : "";

    public void Dispose() => watcher?.Dispose();
}
