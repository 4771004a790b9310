using System.Collections;
using System.Collections.Concurrent;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;

namespace VaultGrpc.Internal.RestCalls;

/// <summary>
/// Finds an <c>Any</c> without a type URL in a parsed message. Google.Protobuf's JsonParser reads
/// an <c>Any</c> object that has no <c>@type</c> (<c>{"k":"v"}</c>) as an empty <c>Any</c> without
/// a word, dropping its payload, where every other unreadable <c>Any</c> makes it throw; finding
/// one tells <see cref="RestMessageJson"/> to take the rewrite, which keeps the payload.
/// </summary>
internal static class UntypedAnyDetector
{
    // Whether a message type can hold an Any anywhere inside it (through its fields, not through packed Anys).
    private static readonly ConcurrentDictionary<MessageDescriptor, bool> CanHoldAny = new();

    /// <summary>
    /// True when <paramref name="message"/> holds an <c>Any</c> with an empty type URL, looking
    /// inside packed <c>Any</c>s of the types <paramref name="registry"/> knows as well.
    /// </summary>
    public static bool Contains(IMessage message, TypeRegistry registry)
    {
        if (message is Any any)
        {
            if (any.TypeUrl.Length == 0)
            {
                return true;
            }

            // A known packed type that can hold an Any was parsed from JSON too: look inside it.
            MessageDescriptor? packed = registry.Find(Any.GetTypeName(any.TypeUrl));
            return packed is not null && MayHoldAny(packed) && Contains(packed.Parser.ParseFrom(any.Value), registry);
        }

        if (!MayHoldAny(message.Descriptor))
        {
            return false;
        }

        foreach (FieldDescriptor field in message.Descriptor.Fields.InFieldNumberOrder())
        {
            if (MessageTypeOf(field) is not { } type || !MayHoldAny(type))
            {
                continue;
            }

            object? value = field.Accessor.GetValue(message);
            if (field.IsMap || field.IsRepeated)
            {
                foreach (object? item in field.IsMap ? ((IDictionary)value!).Values : (IList)value!)
                {
                    if (item is IMessage inner && Contains(inner, registry))
                    {
                        return true;
                    }
                }
            }
            else if (value is IMessage single && Contains(single, registry))
            {
                return true;
            }
        }

        return false;
    }

    private static MessageDescriptor? MessageTypeOf(FieldDescriptor field)
    {
        if (field.IsMap)
        {
            FieldDescriptor mapValue = field.MessageType.FindFieldByNumber(2);
            return mapValue.FieldType == FieldType.Message ? mapValue.MessageType : null;
        }

        return field.FieldType == FieldType.Message ? field.MessageType : null;
    }

    private static bool MayHoldAny(MessageDescriptor descriptor) =>
        CanHoldAny.GetOrAdd(descriptor, static type => Reaches(type, []));

    // Depth-first over the field types; a type already on the path adds nothing new.
    private static bool Reaches(MessageDescriptor descriptor, HashSet<MessageDescriptor> visiting)
    {
        if (descriptor.FullName == Any.Descriptor.FullName)
        {
            return true;
        }

        if (!visiting.Add(descriptor))
        {
            return false;
        }

        foreach (FieldDescriptor field in descriptor.Fields.InFieldNumberOrder())
        {
            if (MessageTypeOf(field) is { } type && Reaches(type, visiting))
            {
                return true;
            }
        }

        return false;
    }
}
