using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace VaultGrpc.Tests.ClientBehaviour;

/// <summary>
/// Listens to the library's ActivitySource and Meter ("VaultGrpc") and keeps only what belongs to
/// one trace: the test starts a root activity, and every call it makes runs under it. Other tests
/// run in the same process at the same time; their activities and measurements have other traces.
/// </summary>
internal sealed class TraceRecorder : IDisposable
{
    private const string LibraryName = "VaultGrpc";

    private readonly Activity? _root;
    private readonly ActivityListener _activities;
    private readonly MeterListener _meters;
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly ConcurrentQueue<RecordedMeasurement> _measurements = new();

    public TraceRecorder(string testName)
    {
        _activities = new ActivityListener
        {
            ShouldListenTo = source => source.Name == LibraryName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (IsMine(activity.TraceId))
                {
                    _stopped.Enqueue(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(_activities);

        _meters = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == LibraryName)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _meters.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _meters.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _meters.Start();

        // Started last, so that everything recorded under it is already listened to.
        _root = new Activity(testName).SetIdFormat(ActivityIdFormat.W3C).Start();
    }

    /// <summary>The library's activities of this trace that have ended.</summary>
    public IReadOnlyList<Activity> Activities => _stopped.ToArray();

    /// <summary>Measurements of the library's instruments taken inside this trace.</summary>
    public IReadOnlyList<RecordedMeasurement> Measurements => _measurements.ToArray();

    public void Dispose()
    {
        _root?.Stop();
        _meters.Dispose();
        _activities.Dispose();
    }

    // Null while the constructor runs: nothing is this trace's before its root exists.
    private bool IsMine(ActivityTraceId traceId) => _root is { } root && traceId == root.TraceId;

    // Measurements carry no trace; the ambient activity at the moment of the measurement tells whose it is.
    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (Activity.Current is { } current && IsMine(current.TraceId))
        {
            _measurements.Enqueue(new RecordedMeasurement(instrument.Name, value, tags.ToArray()));
        }
    }

    /// <summary>One measurement: the instrument's name, the value, and its tags.</summary>
    public sealed record RecordedMeasurement(string Instrument, double Value, KeyValuePair<string, object?>[] Tags)
    {
        public object? Tag(string key) => Tags.FirstOrDefault(t => t.Key == key).Value;
    }
}
