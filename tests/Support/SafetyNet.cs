namespace Actors.Testing;

/// <summary>
/// Bounds on how long a test may run. No test waits on wall-clock time for its verdict; these only turn a stuck
/// test into a failure that names it, instead of a test run that never ends.
/// </summary>
public static class SafetyNet
{
    /// <summary>For <c>[Fact(Timeout = SafetyNet.TestTimeout)]</c>: far beyond any healthy run on a loaded machine.</summary>
    public const int TestTimeout = 5 * 60 * 1000;
}
