using System.Globalization;

namespace AiGateway.Emulator;

/// <summary>
/// The faults in force, at most <see cref="EmulatorLimits.MaxFaults"/> (the oldest go first). Thread-safe; one
/// mechanism for tests, samples and benchmarks.
/// </summary>
public sealed class FaultRegistry
{
    private readonly List<(EmulatorFault Fault, int? Remaining)> _faults = [];
    private readonly int _capacity;
    private int _nextId;

    /// <summary>Initializes a new instance of the <see cref="FaultRegistry"/> class holding the default number of faults.</summary>
    public FaultRegistry()
        : this(new EmulatorLimits().MaxFaults)
    {
    }

    internal FaultRegistry(int capacity) => _capacity = capacity;

    /// <summary>Adds a fault; the first added that matches a request applies. Beyond the limit the oldest fault is dropped.</summary>
    /// <param name="fault">The fault.</param>
    /// <returns>The fault with its id.</returns>
    /// <exception cref="ArgumentException">The emulator cannot apply the fault (<see cref="EmulatorFault.Check"/> says why).</exception>
    public EmulatorFault Add(EmulatorFault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        if (fault.Check() is { } problem)
        {
            throw new ArgumentException(problem, nameof(fault));
        }

        lock (_faults)
        {
            var withId = fault with { Id = "fault-" + (++_nextId).ToString(CultureInfo.InvariantCulture) };
            if (_faults.Count >= _capacity)
            {
                _faults.RemoveRange(0, _faults.Count - _capacity + 1);
            }

            _faults.Add((withId, fault.Times));
            return withId;
        }
    }

    /// <summary>Removes one fault.</summary>
    /// <param name="id">Its id.</param>
    /// <returns>Whether it existed.</returns>
    public bool Remove(string id)
    {
        lock (_faults)
        {
            return _faults.RemoveAll(f => f.Fault.Id == id) > 0;
        }
    }

    /// <summary>Removes every fault.</summary>
    public void Clear()
    {
        lock (_faults)
        {
            _faults.Clear();
        }
    }

    /// <summary>Gets the faults in force.</summary>
    public IReadOnlyList<EmulatorFault> Active
    {
        get
        {
            lock (_faults)
            {
                return [.. _faults.Select(f => f.Fault)];
            }
        }
    }

    /// <summary>Takes the first fault matching a request, counting it against its <see cref="EmulatorFault.Times"/>.</summary>
    internal EmulatorFault? Take(string provider, string model)
    {
        lock (_faults)
        {
            for (int i = 0; i < _faults.Count; i++)
            {
                var (fault, remaining) = _faults[i];
                if ((fault.Provider is null || string.Equals(fault.Provider, provider, StringComparison.OrdinalIgnoreCase)) &&
                    (fault.Model is null || string.Equals(fault.Model, model, StringComparison.OrdinalIgnoreCase)))
                {
                    if (remaining is { } left)
                    {
                        if (left <= 1)
                        {
                            _faults.RemoveAt(i);
                        }
                        else
                        {
                            _faults[i] = (fault, left - 1);
                        }
                    }

                    return fault;
                }
            }

            return null;
        }
    }
}
