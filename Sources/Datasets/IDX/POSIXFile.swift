#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

// The C file calls under names that methods called `read`, `write` or `close` cannot
// shadow, and that compile against Glibc and Darwin alike.

/// `close(2)`.
@discardableResult
func posixClose(_ fd: Int32) -> Int32 { close(fd) }

/// `read(2)`.
func posixRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
  read(fd, buffer, count)
}

/// `write(2)`.
func posixWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
  write(fd, buffer, count)
}

/// The text of the current `errno`.
func errnoDescription() -> String { String(cString: strerror(errno)) }
