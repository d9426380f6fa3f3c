using System.Buffers;
using System.Text.Json;
using Microsoft.Extensions.ObjectPool;

namespace AiGateway.Extensions.AI;

/// <summary>
/// A JSON writer and its buffer from one shared pool, for every request body and JSON value this package writes: a
/// body costs its one exactly sized copy. Rent one with <see cref="Rent"/>, write, take <see cref="ToArray"/> or
/// <see cref="WrittenSpan"/>, and dispose it to give it back. Writers may nest (the universal endpoint writes each step's
/// body inside its own). The pool keeps at most a few writers per core, each only while its buffer stays under 64 KiB,
/// so a huge body's buffer is left to the collector rather than kept.
/// </summary>
internal sealed class PooledJsonWriter : IDisposable
{
    private const int MaxRetainedBytes = 64 * 1024;

    // Compact, and without the writer's structural checks: every writer here writes from code, and each value a caller
    // supplies is validated before it is written.
    private static readonly JsonWriterOptions s_options = new() { Indented = false, SkipValidation = true };

    private static readonly ObjectPool<PooledJsonWriter> s_pool = new DefaultObjectPool<PooledJsonWriter>(new ReturnPolicy());

    private readonly ArrayBufferWriter<byte> _buffer = new(4096);

    private PooledJsonWriter()
    {
        Writer = new Utf8JsonWriter(_buffer, s_options);
    }

    /// <summary>Gets the writer; write whole values only.</summary>
    public Utf8JsonWriter Writer { get; }

    /// <summary>Gets what was written so far, valid until this writer is disposed.</summary>
    public ReadOnlySpan<byte> WrittenSpan
    {
        get
        {
            Writer.Flush();
            return _buffer.WrittenSpan;
        }
    }

    /// <summary>Takes an empty writer from the pool.</summary>
    public static PooledJsonWriter Rent() => s_pool.Get();

    /// <summary>A copy of what was written.</summary>
    public byte[] ToArray() => WrittenSpan.ToArray();

    /// <summary>Gives the writer back to the pool.</summary>
    public void Dispose() => s_pool.Return(this);

    private sealed class ReturnPolicy : PooledObjectPolicy<PooledJsonWriter>
    {
        public override PooledJsonWriter Create() => new();

        public override bool Return(PooledJsonWriter obj)
        {
            if (obj._buffer.Capacity > MaxRetainedBytes)
            {
                return false;
            }

            obj._buffer.ResetWrittenCount();
            obj.Writer.Reset(obj._buffer);
            return true;
        }
    }
}
