import ProxyTime
import CSystem
import Glibc
import Synchronization

/// What a registered descriptor wants to hear about.
public struct Interest: OptionSet, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    public static let read = Interest(rawValue: UInt32(CSYSTEM_EPOLLIN) | UInt32(CSYSTEM_EPOLLRDHUP))
    public static let write = Interest(rawValue: UInt32(CSYSTEM_EPOLLOUT))
    /// A listening socket shared by several loops: the kernel wakes one of them per connection.
    /// (It cannot be modified once registered: deregister and register again instead.)
    public static let acceptExclusively = Interest(rawValue: UInt32(CSYSTEM_EPOLLIN) | UInt32(CSYSTEM_EPOLLEXCLUSIVE))
}

/// Something the loop calls when its descriptor is ready. Called on the loop thread only.
public protocol EventLoopHandler: AnyObject {
    func handleEvents(readable: Bool, writable: Bool, hangup: Bool)
}

/// Something the loop asks once a second whether a deadline passed (header and idle timeouts).
public protocol DeadlineSweepable: AnyObject {
    func sweep(now: UInt64)
}

/// One thread, one epoll set. Everything registered with a loop is touched only on that loop's
/// thread; other threads hand work over with `execute`, which wakes the loop through an eventfd.
/// (Hence `@unchecked Sendable`: the mutable state below is confined to the loop thread.)
public final class EventLoop: @unchecked Sendable {
    private struct Registration {
        let generation: UInt32
        let handler: EventLoopHandler
    }

    private let epollFD: Int32
    private let wakeFD: Int32
    private var registrations: [Int32: Registration] = [:]
    private var nextGeneration: UInt32 = 1
    private var sweepables: [ObjectIdentifier: DeadlineSweepable] = [:]
    private var nextSweep: UInt64 = 0
    private let pending = Mutex<[@Sendable () -> Void]>([])
    private let stopRequested = Atomic<Bool>(false)
    private let threadID = Atomic<UInt>(0)

    public init() {
        epollFD = csystem_epoll_create()
        wakeFD = csystem_eventfd()
        precondition(epollFD >= 0 && wakeFD >= 0, "epoll/eventfd: \(SocketIO.errorDescription(errno))")
        _ = csystem_epoll_ctl(epollFD, 1, wakeFD, UInt32(CSYSTEM_EPOLLIN), 0)
    }

    deinit {
        close(epollFD)
        close(wakeFD)
    }

    public var inLoop: Bool { threadID.load(ordering: .relaxed) == UInt(pthread_self()) }

    /// Loop-confined code calls this first: a debug build traps when it runs on another thread
    /// (release builds compile it away).
    @inline(__always)
    public func assertInLoop(file: StaticString = #fileID, line: UInt = #line) {
        assert(inLoop, "loop-confined code called off its event loop's thread", file: file, line: line)
    }

    /// Runs `work` on the loop thread (soon, in order). Safe from any thread.
    public func execute(_ work: @escaping @Sendable () -> Void) {
        let wasEmpty = pending.withLock { queue in
            queue.append(work)
            return queue.count == 1
        }
        if wasEmpty { wake() }
    }

    /// Runs `work` now if already on the loop thread, else hands it over.
    public func executeSoon(_ work: @escaping @Sendable () -> Void) {
        if inLoop { work() } else { execute(work) }
    }

    /// Runs `work` on this loop after the events being handled now; loop thread only. No wake-up
    /// is needed because the loop drains its queue before waiting again.
    func enqueueInLoop(_ work: @escaping () -> Void) {
        assertInLoop()
        let unchecked = UncheckedWork(work)
        pending.withLock { $0.append { unchecked.work() } }
    }

    public func register(_ fd: Int32, interest: Interest, handler: EventLoopHandler) {
        assertInLoop()
        let generation = nextGeneration
        nextGeneration &+= 1
        if nextGeneration == 0 { nextGeneration = 1 }
        registrations[fd] = Registration(generation: generation, handler: handler)
        _ = csystem_epoll_ctl(epollFD, 1, fd, interest.rawValue, Self.token(fd, generation))
    }

    public func setInterest(_ fd: Int32, _ interest: Interest) {
        assertInLoop()
        guard let registration = registrations[fd] else { return }
        _ = csystem_epoll_ctl(epollFD, 3, fd, interest.rawValue, Self.token(fd, registration.generation))
    }

    /// The interest of a socket that reads unless paused and writes while output waits.
    func setInterest(_ fd: Int32, reading: Bool, writing: Bool) {
        var interest: Interest = []
        if reading { interest.insert(.read) }
        if writing { interest.insert(.write) }
        setInterest(fd, interest)
    }

    /// Removes `fd` from the loop (the caller closes it afterwards).
    public func deregister(_ fd: Int32) {
        assertInLoop()
        guard registrations.removeValue(forKey: fd) != nil else { return }
        _ = csystem_epoll_ctl(epollFD, 2, fd, 0, 0)
    }

    public func addSweepable(_ object: DeadlineSweepable) {
        assertInLoop()
        sweepables[ObjectIdentifier(object)] = object
    }

    public func removeSweepable(_ object: DeadlineSweepable) {
        assertInLoop()
        sweepables[ObjectIdentifier(object)] = nil
    }

    public func stop() {
        stopRequested.store(true, ordering: .relaxed)
        wake()
    }

    /// Runs until `stop()`; call on the thread that owns this loop.
    public func run() {
        threadID.store(UInt(pthread_self()), ordering: .relaxed)
        let capacity = 256
        let tokens = UnsafeMutablePointer<UInt64>.allocate(capacity: capacity)
        let events = UnsafeMutablePointer<UInt32>.allocate(capacity: capacity)
        defer {
            tokens.deallocate()
            events.deallocate()
        }
        while !stopRequested.load(ordering: .relaxed) {
            let count = csystem_epoll_wait(epollFD, tokens, events, Int32(capacity), 1000)
            if count < 0 && errno != EINTR { break }
            for index in 0..<max(0, Int(count)) {
                dispatch(token: tokens[index], events: events[index])
            }
            runPending()
            sweepIfDue()
        }
    }

    private func dispatch(token: UInt64, events: UInt32) {
        if token == 0 {
            var value: UInt64 = 0
            _ = read(wakeFD, &value, 8)
            return
        }
        let fd = Int32(truncatingIfNeeded: token & 0xFFFF_FFFF)
        guard let registration = registrations[fd], registration.generation == UInt32(token >> 32) else { return }
        let hangup = events & (UInt32(CSYSTEM_EPOLLHUP) | UInt32(CSYSTEM_EPOLLERR)) != 0
        registration.handler.handleEvents(
            readable: events & (UInt32(CSYSTEM_EPOLLIN) | UInt32(CSYSTEM_EPOLLRDHUP)) != 0,
            writable: events & UInt32(CSYSTEM_EPOLLOUT) != 0,
            hangup: hangup
        )
    }

    private func runPending() {
        while true {
            let batch = pending.withLock { queue -> [@Sendable () -> Void] in
                let taken = queue
                queue.removeAll(keepingCapacity: true)
                return taken
            }
            if batch.isEmpty { return }
            for work in batch { work() }
        }
    }

    private func sweepIfDue() {
        let now = MonotonicClock.now()
        guard now >= nextSweep else { return }
        nextSweep = now + 1_000_000_000
        for object in Array(sweepables.values) { object.sweep(now: now) }
    }

    private func wake() {
        var one: UInt64 = 1
        _ = write(wakeFD, &one, 8)
    }

    private static func token(_ fd: Int32, _ generation: UInt32) -> UInt64 {
        (UInt64(generation) << 32) | UInt64(UInt32(bitPattern: fd))
    }
}

/// A closure that stays on the loop that created it, carried through the Sendable queue.
private struct UncheckedWork: @unchecked Sendable {
    let work: () -> Void
    init(_ work: @escaping () -> Void) { self.work = work }
}
