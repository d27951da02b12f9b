import Foundation

/// A Kubernetes `resource.Quantity` (`4`, `500m`, `8Gi`, `1.5e3`) as a number, for comparing and sorting
/// cluster properties as KubeFleet's scheduler does.
public enum Quantity {
    private static let binary: [String: Double] = [
        "Ki": 1024, "Mi": pow(1024, 2), "Gi": pow(1024, 3), "Ti": pow(1024, 4), "Pi": pow(1024, 5), "Ei": pow(1024, 6),
    ]
    private static let decimal: [String: Double] = [
        "n": 1e-9, "u": 1e-6, "m": 1e-3, "": 1, "k": 1e3, "M": 1e6, "G": 1e9, "T": 1e12, "P": 1e15, "E": 1e18,
    ]

    /// The value of `text`, or nil when it is not a quantity.
    public static func parse(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return nil }
        if let exponent = trimmed.firstIndex(where: { $0 == "e" || $0 == "E" }), trimmed.index(after: exponent) < trimmed.endIndex,
            let mantissa = Double(trimmed[..<exponent]), let power = Int(trimmed[trimmed.index(after: exponent)...]),
            trimmed[..<exponent].allSatisfy({ $0.isNumber || $0 == "." || $0 == "-" || $0 == "+" })
        {
            return mantissa * pow(10, Double(power))
        }
        let number = trimmed.prefix { $0.isNumber || $0 == "." || $0 == "-" || $0 == "+" }
        guard let value = Double(number), !number.isEmpty else { return nil }
        let suffix = String(trimmed.dropFirst(number.count))
        guard let scale = binary[suffix] ?? decimal[suffix] else { return nil }
        return value * scale
    }
}
