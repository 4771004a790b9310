namespace Google.LongRunning;

/// <summary>Has the full name of Google's generated <c>Google.LongRunning.Operation</c>; only the fields a test needs.</summary>
public sealed class Operation
{
    /// <summary>The operation's resource name.</summary>
    public string Name { get; set; } = "";

    /// <summary>Whether the operation has finished.</summary>
    public bool Done { get; set; }
}
