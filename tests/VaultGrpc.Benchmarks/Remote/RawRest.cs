using System.Net.Http.Headers;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using VaultGrpc.LongRunning;

namespace VaultGrpc.Benchmarks.Remote;

/// <summary>
/// The REST routes by hand, as a user without VaultGrpc would call them: HttpClient, the same headers
/// as the facade (<c>Accept: application/json</c>, <c>x-goog-api-client</c>), Cancel's empty body, and
/// Google.Protobuf's <c>JsonParser</c> (with a registry of the types in the <c>Any</c>s: without one it
/// cannot read the operation at all).
/// </summary>
internal sealed class RawRest : IDisposable
{
    private static readonly MediaTypeWithQualityHeaderValue Json = new("application/json");

    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithTypeRegistry(BenchOperations.Registry).WithIgnoreUnknownFields(true));

    private readonly HttpClient _http;
    private readonly string _origin;

    public RawRest(Uri restAddress)
    {
        _http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = Timeout.InfiniteTimeSpan };
        _origin = restAddress.GetLeftPart(UriPartial.Authority);
    }

    public async Task<Empty> CancelAsync(string name)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_origin + "/v1/" + name + ":cancel", UriKind.Absolute))
        {
            Content = new ByteArrayContent([]),
        };
        return Parser.Parse<Empty>(await SendAsync(request).ConfigureAwait(false));
    }

    public async Task<Operation> GetAsync(string name)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_origin + "/v1/" + name, UriKind.Absolute));
        return Parser.Parse<Operation>(await SendAsync(request).ConfigureAwait(false));
    }

    public void Dispose() => _http.Dispose();

    private async Task<string> SendAsync(HttpRequestMessage request)
    {
        request.Headers.Accept.Add(Json);
        request.Headers.TryAddWithoutValidation(SameHeaders.ApiClientName, SameHeaders.ApiClient);
        using HttpResponseMessage response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync().ConfigureAwait(false);
    }
}
