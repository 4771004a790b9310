using System.Globalization;
using System.Reflection;
using BenchmarkDotNet.Attributes;

namespace VaultGrpc.Benchmarks.Remote;

/// <summary>
/// One case of a benchmark class run by hand, beside BenchmarkDotNet (the <c>alloc-types</c> and
/// <c>interleaved</c> verbs): the class found by name, its concurrency (the raw-call classes'
/// <c>Callers</c>, the bulk class's <c>Concurrency</c>) and <c>AnyTypes</c> set, its GlobalSetup run,
/// then its benchmark method called and its GlobalCleanup run as BenchmarkDotNet would.
/// </summary>
internal sealed class ManualCase
{
    private readonly object _bench;
    private readonly MethodInfo _run;
    private readonly MethodInfo _cleanUp;
    private readonly PropertyInfo _concurrency;

    private ManualCase(object bench, MethodInfo run, MethodInfo cleanUp, PropertyInfo concurrency)
    {
        _bench = bench;
        _run = run;
        _cleanUp = cleanUp;
        _concurrency = concurrency;
        CallsPerInvoke = run.GetCustomAttribute<BenchmarkAttribute>()?.OperationsPerInvoke ?? 1;
    }

    public string Name => _run.Name;

    /// <summary>Calls one invocation makes: ConcurrentCalls.PerInvoke for the raw-call classes, a bulk run's names for the bulk class.</summary>
    public int CallsPerInvoke { get; }

    /// <summary>The concurrency as the class names it: "Callers=64", "Concurrency=16".</summary>
    public string ConcurrencyText => $"{_concurrency.Name}={_concurrency.GetValue(_bench)}";

    /// <summary>The benchmark class named <paramref name="name"/> in this assembly.</summary>
    public static Type FindClass(string name) =>
        typeof(ManualCase).Assembly.GetTypes().SingleOrDefault(t => t.Name == name)
        ?? throw new ArgumentException("No benchmark class " + name);

    /// <summary>The class's benchmark methods, the baseline first.</summary>
    public static List<MethodInfo> Benchmarks(Type type)
    {
        List<MethodInfo> methods = type.GetMethods().Where(m => m.GetCustomAttribute<BenchmarkAttribute>() is not null).ToList();
        MethodInfo baseline = methods.Single(m => m.GetCustomAttribute<BenchmarkAttribute>()!.Baseline);
        methods.Remove(baseline);
        methods.Insert(0, baseline);
        return methods;
    }

    /// <summary>A new instance of <paramref name="type"/> set up for its method <paramref name="method"/>; cleaned up if the setup fails.</summary>
    public static async Task<ManualCase> SetUpAsync(Type type, string method, int concurrency, string? anyTypes)
    {
        MethodInfo run = type.GetMethod(method) ?? throw new ArgumentException("No method " + method);
        PropertyInfo concurrencyProperty = type.GetProperty("Callers") ?? type.GetProperty("Concurrency")
            ?? throw new ArgumentException(type.Name + " has neither Callers nor Concurrency.");
        MethodInfo setUp = type.GetMethods().Single(m => m.GetCustomAttribute<GlobalSetupAttribute>() is { } s
            && (s.Targets.Length == 0 || s.Targets.Contains(method)));
        MethodInfo cleanUp = type.GetMethods().Single(m => m.GetCustomAttribute<GlobalCleanupAttribute>() is not null);

        object bench = Activator.CreateInstance(type)!;
        concurrencyProperty.SetValue(bench, concurrency);
        if (anyTypes is not null)
        {
            type.GetProperty("AnyTypes")!.SetValue(bench, anyTypes);
        }

        var manual = new ManualCase(bench, run, cleanUp, concurrencyProperty);
        try
        {
            await (Task)setUp.Invoke(bench, null)!;
        }
        catch
        {
            manual.CleanUp();
            throw;
        }

        return manual;
    }

    /// <summary>The concurrency argument of a verb, 1 when absent.</summary>
    public static int ConcurrencyArgument(string[] args, int index) =>
        args.Length > index ? int.Parse(args[index], CultureInfo.InvariantCulture) : 1;

    /// <summary>One invocation of the case's benchmark method.</summary>
    public Task RunAsync() => (Task)_run.Invoke(_bench, null)!;

    public void CleanUp() => _cleanUp.Invoke(_bench, null);
}
