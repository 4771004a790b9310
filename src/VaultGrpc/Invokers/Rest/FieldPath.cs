using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace VaultGrpc.Invokers.Rest;

/// <summary>A dotted field path of a request message (<c>name</c>, <c>parent.id</c>), resolved once against its descriptor.</summary>
internal sealed class FieldPath
{
    private FieldPath(string text, IReadOnlyList<FieldDescriptor> fields)
    {
        Text = text;
        Fields = fields;
    }

    /// <summary>The path as written in the rule.</summary>
    public string Text { get; }

    /// <summary>The fields from the request down to the leaf.</summary>
    public IReadOnlyList<FieldDescriptor> Fields { get; }

    /// <summary>The last field of the path.</summary>
    public FieldDescriptor Leaf => Fields[^1];

    /// <summary>Resolves <paramref name="path"/> in <paramref name="message"/>; every step but the last must be a singular message field.</summary>
    /// <exception cref="FormatException">A name is not a field, or a step is not a singular message.</exception>
    public static FieldPath Resolve(MessageDescriptor message, string path)
    {
        var fields = new List<FieldDescriptor>();
        MessageDescriptor current = message;
        string[] names = path.Split('.');
        for (int i = 0; i < names.Length; i++)
        {
            FieldDescriptor field = current.FindFieldByName(names[i])
                ?? throw new FormatException($"'{path}' names no field of {message.FullName}.");
            fields.Add(field);
            if (i < names.Length - 1)
            {
                if (field.FieldType != FieldType.Message || field.IsRepeated || field.IsMap)
                {
                    throw new FormatException($"'{path}' in {message.FullName} passes through '{field.Name}', which is not a singular message.");
                }

                current = field.MessageType;
            }
        }

        return new FieldPath(path, fields);
    }

    /// <summary>The message holding the leaf, or null when a message on the way is unset.</summary>
    public IMessage? Owner(IMessage request)
    {
        IMessage? current = request;
        for (int i = 0; i < Fields.Count - 1 && current is not null; i++)
        {
            current = Fields[i].Accessor.GetValue(current) as IMessage;
        }

        return current;
    }

    /// <summary>The leaf's value, or null when a message on the way is unset.</summary>
    public object? GetValue(IMessage request) =>
        Owner(request) is { } owner ? Leaf.Accessor.GetValue(owner) : null;

    /// <summary>Clears the leaf in <paramref name="request"/> (a copy the caller owns).</summary>
    public void Clear(IMessage request)
    {
        if (Owner(request) is { } owner)
        {
            Leaf.Accessor.Clear(owner);
        }
    }
}
