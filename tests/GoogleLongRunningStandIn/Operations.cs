namespace Google.LongRunning;

/// <summary>Has the full names of Google's generated <c>Operations</c> holder class and its nested client and server base.</summary>
public static class Operations
{
    /// <summary>Stands in for Google's generated client; answers from memory.</summary>
    public class OperationsClient
    {
        /// <summary>Returns a running operation of that name.</summary>
        public virtual Operation GetOperation(string name) => new() { Name = name, Done = false };
    }

    /// <summary>Stands in for Google's generated server base.</summary>
    public abstract class OperationsBase
    {
        /// <summary>Answers a GetOperation.</summary>
        public abstract Operation GetOperation(string name);
    }
}
