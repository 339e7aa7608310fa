using System.Runtime.InteropServices;
using System.Security;

namespace OsRollback.Engine.Security;

/// <summary>
/// The one place where a secret (token, password) becomes plain text: only at the moment it is
/// written into a request, never into a field, log line, journal, plan or exception.
/// </summary>
public static class SecretText
{
    /// <summary>Gives the plain text to <paramref name="use"/> and clears the unmanaged copy afterwards.</summary>
    public static T Use<T>(SecureString secret, Func<string, T> use)
    {
        var pointer = IntPtr.Zero;
        try
        {
            pointer = Marshal.SecureStringToGlobalAllocUnicode(secret);
            return use(Marshal.PtrToStringUni(pointer) ?? "");
        }
        finally
        {
            if (pointer != IntPtr.Zero) Marshal.ZeroFreeGlobalAllocUnicode(pointer);
        }
    }

    /// <summary>Makes a read-only SecureString from plain text (environment variables, generated tokens).</summary>
    public static SecureString FromPlainText(string text)
    {
        var secure = new SecureString();
        foreach (var ch in text) secure.AppendChar(ch);
        secure.MakeReadOnly();
        return secure;
    }

    /// <summary>Replaces every occurrence of the secret in <paramref name="text"/> (defence in depth for server messages).</summary>
    public static string Redact(string text, SecureString? secret) =>
        secret is null || secret.Length == 0 ? text : Use(secret, plain => plain.Length < 4 ? text : text.Replace(plain, "***", StringComparison.Ordinal));
}
