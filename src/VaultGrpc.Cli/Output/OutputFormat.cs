namespace VaultGrpc.Cli.Output;

/// <summary>How results are written to standard output.</summary>
internal enum OutputFormat
{
    /// <summary>Lines for people.</summary>
    Text,

    /// <summary>One JSON object a line.</summary>
    Json,
}
