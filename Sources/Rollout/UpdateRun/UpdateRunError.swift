/// KubeFleet's error texts: a category prefix the metrics classify by, wrapped in the abort prefix.
enum UpdateRunError {
    static let userError = "failed to process the request due to a client error"
    static let unexpected = "unexpected behavior which cannot be handled by the controller"

    static func initFailed(user message: String) -> String {
        "cannot continue the updateRun: failed to initialize the updateRun: \(userError): \(message)"
    }

    static func initFailed(unexpected message: String) -> String {
        "cannot continue the updateRun: failed to initialize the updateRun: \(unexpected): \(message)"
    }

    static func initFailed(_ message: String) -> String {
        "cannot continue the updateRun: failed to initialize the updateRun: \(message)"
    }

    static func validationFailed(user message: String) -> String {
        "cannot continue the updateRun: failed to validate the updateRun: \(userError): \(message)"
    }

    static func validationFailed(unexpected message: String) -> String {
        "cannot continue the updateRun: failed to validate the updateRun: \(unexpected): \(message)"
    }
}
