using System.Numerics;
using System.Text;
using System.Text.Json;
using Newtonsoft.Json.Linq;

namespace OsRollback.Engine.Drift;

/// <summary>
/// Reads a delta's lines as the bytes in the file and parses each row line in one pass of
/// System.Text.Json's <see cref="Utf8JsonReader"/>: no string per line, no second encoding for the
/// seal (which hashes these same bytes). Values become the tokens Newtonsoft would give
/// (integers as long, other numbers as double, dates left as text), so every check downstream sees
/// what it saw before; anything after the row's object is refused.
/// </summary>
internal static class DataDeltaRowReader
{
    /// <summary>The file's lines, numbered from 1, each without its "\n" or "\r\n"; the bytes are valid until the next line is read.</summary>
    public static IEnumerable<(int Number, ReadOnlyMemory<byte> Line)> Lines(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        var buffer = new byte[1 << 16];
        int start = 0, end = 0, number = 0;
        while (true)
        {
            var newLine = buffer.AsSpan(start, end - start).IndexOf((byte)'\n');
            if (newLine >= 0)
            {
                yield return (++number, Trim(buffer, start, newLine));
                start += newLine + 1;
                continue;
            }
            if (start > 0)
            {
                Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                end -= start;
                start = 0;
            }
            if (end == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2); // a line longer than the buffer
            var read = stream.Read(buffer, end, buffer.Length - end);
            if (read == 0)
            {
                if (end > 0) yield return (++number, Trim(buffer, 0, end));
                yield break;
            }
            end += read;
        }
    }

    private static ReadOnlyMemory<byte> Trim(byte[] buffer, int start, int length) =>
        buffer.AsMemory(start, length > 0 && buffer[start + length - 1] == (byte)'\r' ? length - 1 : length);

    /// <summary>The header line as text (a UTF-8 byte order mark dropped, as a text reader does).</summary>
    public static string Text(ReadOnlySpan<byte> line) =>
        Encoding.UTF8.GetString(line.StartsWith("\uFEFF"u8) ? line[3..] : line);

    /// <summary>Parses one row line; throws <see cref="JsonException"/> or <see cref="FormatException"/> on a malformed one.</summary>
    public static (string? Table, string? Op, JObject? Key, JObject? Before, JObject? After, List<string>? Changed) Parse(ReadOnlySpan<byte> line)
    {
        var reader = new Utf8JsonReader(line, new JsonReaderOptions { MaxDepth = 16 });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) throw new FormatException("the line is not a JSON object");
        string? table = null, op = null;
        JObject? key = null, before = null, after = null;
        List<string>? changed = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString();
            reader.Read();
            switch (name)
            {
                case "table": table = Text(ref reader); break;
                case "op": op = Text(ref reader); break;
                case "key": key = Token(ref reader) as JObject; break;
                case "before": before = Token(ref reader) as JObject; break;
                case "after": after = Token(ref reader) as JObject; break;
                case "changed":
                    changed = Token(ref reader) is JArray names ? names.Select(t => (string?)t ?? throw new FormatException("a changed column is null")).ToList() : null;
                    break;
                default: reader.Skip(); break;
            }
        }
        if (reader.TokenType != JsonTokenType.EndObject || reader.Read()) throw new FormatException("the line holds more than one JSON object");
        return (table, op, key, before, after, changed);
    }

    private static string? Text(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Null => null,
        _ => throw new FormatException($"a {reader.TokenType} where text was expected"),
    };

    private static JToken Token(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var o = new JObject();
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var name = reader.GetString()!;
                    reader.Read();
                    o[name] = Token(ref reader);
                }
                return o;
            case JsonTokenType.StartArray:
                var a = new JArray();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray) a.Add(Token(ref reader));
                return a;
            case JsonTokenType.String: return new JValue(reader.GetString());
            case JsonTokenType.True: return new JValue(true);
            case JsonTokenType.False: return new JValue(false);
            case JsonTokenType.Null: return JValue.CreateNull();
            case JsonTokenType.Number:
                if (reader.TryGetInt64(out var integer)) return new JValue(integer);
                var raw = reader.ValueSpan;
                // As Newtonsoft reads it: a number without a fraction or exponent is an integer, however large.
                if (raw.IndexOfAny((byte)'.', (byte)'e', (byte)'E') < 0) return new JValue(BigInteger.Parse(Encoding.ASCII.GetString(raw), System.Globalization.CultureInfo.InvariantCulture));
                return new JValue(reader.GetDouble());
            default: throw new FormatException($"unexpected {reader.TokenType}");
        }
    }
}
