// Entry point of `swiftkeras-bench`; the commands live in their own files.
SwiftKerasBench.main()
