namespace OsRollback.Engine.Tests.Support;

/// <summary>
/// A file stream that lets a number of bytes through to the file and then fails the way a full
/// disk does (ENOSPC), so a test sees what a real half-done write leaves behind.
/// </summary>
internal sealed class FailingWriteStream : Stream
{
    private readonly FileStream _file;
    private long _left;

    public FailingWriteStream(string path, FileMode mode, FileAccess access, long bytesBeforeFailure)
    {
        _file = new FileStream(path, mode, access, FileShare.Read);
        _left = bytesBeforeFailure;
    }

    public override bool CanRead => _file.CanRead;
    public override bool CanSeek => _file.CanSeek;
    public override bool CanWrite => true;
    public override long Length => _file.Length;
    public override long Position { get => _file.Position; set => _file.Position = value; }
    public override void Flush() => _file.Flush(flushToDisk: true);
    public override int Read(byte[] buffer, int offset, int count) => _file.Read(buffer, offset, count);
    public override long Seek(long offset, SeekOrigin origin) => _file.Seek(offset, origin);
    public override void SetLength(long value) => _file.SetLength(value);

    public override void Write(byte[] buffer, int offset, int count)
    {
        var through = (int)Math.Min(_left, count);
        _file.Write(buffer, offset, through);
        _left -= through;
        if (through < count)
        {
            _file.Flush(flushToDisk: true);
            throw new IOException("No space left on device", 28);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _file.Dispose();
        base.Dispose(disposing);
    }
}
