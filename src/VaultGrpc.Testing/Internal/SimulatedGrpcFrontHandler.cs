using System.Net.Http;
using System.Net.Sockets;

namespace VaultGrpc.Testing.Internal;

/// <summary>
/// In memory there are no sockets to refuse or to speak HTTP/1.1, so the gRPC handler fails the way
/// SocketsHttpHandler does in those modes, with the same exception types.
/// </summary>
internal sealed class SimulatedGrpcFrontHandler(HttpMessageHandler inner, FakeServerState state) : DelegatingHandler(inner)
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        string authority = request.RequestUri?.Authority ?? "localhost";
        switch (state.GrpcMode)
        {
            case GrpcServingMode.NotListening:
                throw new HttpRequestException(
                    HttpRequestError.ConnectionError,
                    $"Connection refused ({authority})",
                    new SocketException((int)SocketError.ConnectionRefused));
            case GrpcServingMode.Http1Only:
                throw new HttpRequestException(
                    HttpRequestError.HttpProtocolError,
                    "An error occurred while sending the request.",
                    new HttpProtocolException(0x1, "The HTTP/2 server sent invalid data on the connection. HTTP/2 error code 'PROTOCOL_ERROR' (0x1).", null));
            default:
                return base.SendAsync(request, cancellationToken);
        }
    }
}
