namespace VaultGrpc.Cli;

/// <summary>The process entry point: wires Ctrl-C and the console to <see cref="VaultOpsApp"/>.</summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        using var stop = new CancellationTokenSource();

        // The first Ctrl-C stops new calls and lets the run report what finished; a second one ends the process.
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            if (!stop.IsCancellationRequested)
            {
                e.Cancel = true;
                stop.Cancel();
            }
        };
        Console.CancelKeyPress += onCancel;

        // A test harness stopping `fake-server` usually sends SIGTERM: end as cleanly as on Ctrl-C.
        using var onTerminate = System.Runtime.InteropServices.PosixSignalRegistration.Create(
            System.Runtime.InteropServices.PosixSignal.SIGTERM,
            context =>
            {
                context.Cancel = true;
                stop.Cancel();
            });
        try
        {
            return await VaultOpsApp.RunAsync(args, CliHost.FromConsole(), stop.Token);
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }
}
