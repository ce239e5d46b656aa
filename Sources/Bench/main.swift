import SwiftKeras
print("bench")
