import Testing
@testable import Rollout

/// The resource hash KubeFleet writes: SHA-256 in lowercase hex.
struct ResourceHashTests {
    @Test func theHashIsSHA256InLowercaseHex() {
        #expect(ResourceHash.sha256Hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(ResourceHash.sha256Hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(ResourceHash.hex([0x00, 0x0f, 0xa0, 0xff]) == "000fa0ff")
    }
}
