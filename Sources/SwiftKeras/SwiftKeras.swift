// `import SwiftKeras` gives a user every public symbol of the framework.
@_exported import SwiftKerasCallbacks
@_exported import SwiftKerasCore
@_exported import SwiftKerasDatasets
@_exported import SwiftKerasDistributed
@_exported import SwiftKerasLayers
@_exported import SwiftKerasModels
@_exported import SwiftKerasPlotting
@_exported import SwiftKerasSaving
@_exported import SwiftKerasTraining
