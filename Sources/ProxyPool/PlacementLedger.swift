/// Memory and children per device during one placement pass. Starting, ready and stopping
/// children all hold what they hold until the stopping ones have exited (been reaped): `used`
/// counts them all, `freeing` the stopping ones' share. A model that waits for stops to finish
/// reserves its need, so later models cannot take that memory meanwhile.
struct PlacementLedger: Sendable {
    struct Account: Sendable {
        var budget: UInt64
        var used: UInt64 = 0
        var freeing: UInt64 = 0
        var reserved: UInt64 = 0

        /// Free once every stopping child has exited and the reservations are taken.
        var freeLater: UInt64 {
            let committed = (used - freeing).addingReportingOverflow(reserved)
            return committed.overflow || committed.partialValue >= budget ? 0 : budget - committed.partialValue
        }

        var freeNow: UInt64 { used >= budget ? 0 : budget - used }

        /// Startable now: free now, without eating into what was reserved.
        func fitsNow(_ bytes: UInt64) -> Bool { freeNow >= bytes && freeLater >= bytes }
        func fitsLater(_ bytes: UInt64) -> Bool { freeLater >= bytes }
    }

    var accounts: [String: Account]
    /// The same for the count of children (`maxLoaded`).
    var children: Account

    init(devices: [PoolDevice], capacity: Int) {
        accounts = Dictionary(uniqueKeysWithValues: devices.map { ($0.name, Account(budget: $0.memoryBytes)) })
        children = Account(budget: UInt64(capacity))
    }

    mutating func hold(_ bytes: UInt64, on device: String, stopping: Bool) {
        accounts[device]?.used &+= bytes
        children.used += 1
        if stopping {
            accounts[device]?.freeing &+= bytes
            children.freeing += 1
        }
    }

    /// Memory an exited child held that the device has not released yet: used now, free later,
    /// and no child slot.
    mutating func holdReleasing(_ bytes: UInt64, on device: String) {
        accounts[device]?.used &+= bytes
        accounts[device]?.freeing &+= bytes
    }

    mutating func stop(_ bytes: UInt64, on device: String) {
        accounts[device]?.freeing &+= bytes
        children.freeing += 1
    }

    mutating func start(_ bytes: UInt64, on device: String) {
        hold(bytes, on: device, stopping: false)
    }

    mutating func reserve(_ bytes: UInt64, on device: String) {
        accounts[device]?.reserved &+= bytes
        children.reserved += 1
    }
}
