// The smallest console app: what a process start costs before any of vault-ops' own work.
Console.WriteLine("Hello, World!");
