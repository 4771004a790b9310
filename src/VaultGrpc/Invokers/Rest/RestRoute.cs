using System.Text;
using Google.Api;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace VaultGrpc.Invokers.Rest;

/// <summary>
/// One method's REST route, from its <c>google.api.http</c> rule: the HTTP method, the path
/// template and where the rest of the request goes (a body field, the whole body, or the query).
/// Only the rule's primary binding is used; <c>additional_bindings</c> are ignored.
/// </summary>
internal sealed class RestRoute
{
    private static readonly JsonFormatter BodyFormatter = new(JsonFormatter.Settings.Default);
    private static readonly JsonFormatter FieldValueFormatter = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));

    private readonly PathTemplate _template;
    private readonly FieldPath[] _pathFields;
    private readonly FieldDescriptor? _bodyField;
    private readonly bool _wholeBody;
    private readonly HashSet<FieldDescriptor> _notInQuery;

    // False when every field of the request is in the path or the body (Get, Cancel, Delete): no query to build.
    private readonly bool _mayHaveQuery;

    private RestRoute(MethodDescriptor method, HttpMethod httpMethod, PathTemplate template, string body)
    {
        Method = method;
        HttpMethod = httpMethod;
        _template = template;
        _pathFields = template.Variables.Select(v => FieldPath.Resolve(method.InputType, v.FieldPath)).ToArray();
        foreach (FieldPath path in _pathFields)
        {
            if (path.Leaf.IsRepeated || path.Leaf.FieldType is FieldType.Message or FieldType.Group)
            {
                throw new FormatException($"The path variable '{path.Text}' of {method.FullName} is not a singular scalar field.");
            }
        }

        _wholeBody = body == "*";
        if (!_wholeBody && body.Length > 0)
        {
            _bodyField = method.InputType.FindFieldByName(body)
                ?? throw new FormatException($"The body field '{body}' of {method.FullName} is not a top-level field of {method.InputType.FullName}.");
        }

        _notInQuery = [.. _pathFields.Select(p => p.Leaf)];
        if (_bodyField is not null)
        {
            _notInQuery.Add(_bodyField);
        }

        _mayHaveQuery = !_wholeBody && method.InputType.Fields.InFieldNumberOrder().Any(f => !_notInQuery.Contains(f));
    }

    /// <summary>The method this route serves.</summary>
    public MethodDescriptor Method { get; }

    /// <summary>GET, POST, PUT, PATCH, DELETE or a custom verb.</summary>
    public HttpMethod HttpMethod { get; }

    /// <summary>The path template as the rule writes it, e.g. <c>/v1/{name=operations/**}:cancel</c> (telemetry's <c>url.template</c>).</summary>
    public string Template => _template.Text;

    /// <summary>True when the request carries a JSON body.</summary>
    public bool HasBody => _wholeBody || _bodyField is not null;

    /// <summary>The route of <paramref name="method"/>, or null when it has no <c>google.api.http</c> rule.</summary>
    /// <exception cref="FormatException">The rule is malformed or names fields the request lacks.</exception>
    public static RestRoute? For(MethodDescriptor method)
    {
        HttpRule? rule = method.GetOptions()?.GetExtension(AnnotationsExtensions.Http);
        if (rule is null)
        {
            return null;
        }

        (HttpMethod verb, string template) = rule.PatternCase switch
        {
            HttpRule.PatternOneofCase.Get => (HttpMethod.Get, rule.Get),
            HttpRule.PatternOneofCase.Post => (HttpMethod.Post, rule.Post),
            HttpRule.PatternOneofCase.Put => (HttpMethod.Put, rule.Put),
            HttpRule.PatternOneofCase.Patch => (HttpMethod.Patch, rule.Patch),
            HttpRule.PatternOneofCase.Delete => (HttpMethod.Delete, rule.Delete),
            HttpRule.PatternOneofCase.Custom => (new HttpMethod(rule.Custom.Kind), rule.Custom.Path),
            _ => throw new FormatException($"The google.api.http rule of {method.FullName} names no HTTP method."),
        };
        return new RestRoute(method, verb, PathTemplate.Parse(template), rule.Body);
    }

    /// <summary>The path (with its query) for <paramref name="request"/>, percent-encoded, relative to the base address.</summary>
    /// <exception cref="ArgumentException">A path value would change the path, or a field has no query form.</exception>
    public string PathAndQuery(IMessage request) => PathAndQuery(request, string.Empty);

    /// <summary>As <see cref="PathAndQuery(IMessage)"/>, after <paramref name="prefix"/> (the base URL): the request's URL as one string.</summary>
    /// <exception cref="ArgumentException">A path value would change the path, or a field has no query form.</exception>
    public string PathAndQuery(IMessage request, string prefix)
    {
        var values = new string[_pathFields.Length];
        for (int i = 0; i < values.Length; i++)
        {
            FieldPath path = _pathFields[i];
            object? value = path.GetValue(request);
            values[i] = value is null ? string.Empty : FieldText.Of(path.Leaf, value);
        }

        string expanded = _template.Expand(values, prefix);
        if (!_mayHaveQuery)
        {
            return expanded;
        }

        var target = new StringBuilder(expanded);
        QueryParameters.Append(target, request, _notInQuery);
        return target.ToString();
    }

    /// <summary>The proto3 JSON body for <paramref name="request"/>, or null when the route has none.</summary>
    public string? Body(IMessage request)
    {
        if (_wholeBody)
        {
            if (_pathFields.Length == 0)
            {
                return BodyFormatter.Format(request);
            }

            // Fields bound to the path are not repeated in the body.
            IMessage copy = request.Descriptor.Parser.ParseFrom(request.ToByteString());
            foreach (FieldPath path in _pathFields)
            {
                path.Clear(copy);
            }

            return BodyFormatter.Format(copy);
        }

        if (_bodyField is null)
        {
            return null;
        }

        object value = _bodyField.Accessor.GetValue(request);
        if (_bodyField.FieldType == FieldType.Message && !_bodyField.IsRepeated && !_bodyField.IsMap)
        {
            return value is IMessage message ? BodyFormatter.Format(message) : "{}";
        }

        // A scalar, repeated or map field: its JSON value as the request would write it.
        string all = FieldValueFormatter.Format(request);
        return System.Text.Json.Nodes.JsonNode.Parse(all)![_bodyField.JsonName]?.ToJsonString() ?? "null";
    }
}
