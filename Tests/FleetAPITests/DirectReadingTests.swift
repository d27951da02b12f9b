import Foundation
import Testing

@testable import FleetAPI

/// The types the hub reads from JSON trees directly (`JSONTreeReading`) must read as the decoder decodes them, and
/// give nil wherever the decoder throws. Each list holds both outcomes.
struct DirectReadingTests {
    private func expectReadAsDecoded<T: Decodable & Equatable>(_ text: String, _ read: (JSON) -> T?) throws {
        let json = try JSON.parse(Array(text.utf8))
        #expect(read(json) == (try? json.decode(T.self)), "\(text)")
    }

    /// How many of `texts` the decoder decodes, so a list that stopped holding both outcomes shows.
    private func decodable<T: Decodable>(_ texts: [String], as type: T.Type) throws -> Int {
        try texts.map { try JSON.parse(Array($0.utf8)) }.filter { (try? $0.decode(T.self)) != nil }.count
    }

    static let specs: [String] = [
        #"{"placementName":"p","resourceSnapshotIndex":"0","stagedRolloutStrategyName":"s"}"#,
        #"{"placementName":"p","stagedRolloutStrategyName":"s"}"#,
        #"{"placementName":"p","resourceSnapshotIndex":null,"stagedRolloutStrategyName":"s","state":null}"#,
        #"{"placementName":"p","stagedRolloutStrategyName":"s","state":"Stop","extra":[1]}"#,
        #"{"placementName":"p","stagedRolloutStrategyName":"s","state":"Initialize"}"#,
        #"{"placementName":"","stagedRolloutStrategyName":"","state":"Run"}"#,
        #"{"placementName":"p","stagedRolloutStrategyName":"s","state":"Paused"}"#,
        #"{"placementName":"p","stagedRolloutStrategyName":"s","state":1}"#,
        #"{"placementName":"p","resourceSnapshotIndex":0,"stagedRolloutStrategyName":"s"}"#,
        #"{"placementName":null,"stagedRolloutStrategyName":"s"}"#,
        #"{"placementName":"p"}"#,
        #"{"stagedRolloutStrategyName":"s"}"#,
        #"{"placementName":["p"],"stagedRolloutStrategyName":"s"}"#,
        #"{}"#,
        #""p""#,
        #"null"#,
    ]

    static let condition = #""type":"Approved","status":"True","reason":"r","message":"m""#
    static let conditions: [String] = [
        #"{\#(condition),"lastTransitionTime":"2025-07-22T21:28:08Z","observedGeneration":3}"#,
        #"{\#(condition),"lastTransitionTime":"2025-07-22T21:28:08Z"}"#,
        #"{\#(condition),"lastTransitionTime":"2025-07-22T21:28:08.75+02:00","observedGeneration":null,"extra":1}"#,
        #"{\#(condition),"lastTransitionTime":"2025-07-22T21:28:08Z","observedGeneration":3.0}"#,
        #"{\#(condition),"lastTransitionTime":"2025-07-22T21:28:08Z","observedGeneration":1e3}"#,
        #"{\#(condition),"lastTransitionTime":"2025-07-22T21:28:08Z","observedGeneration":3.5}"#,
        #"{\#(condition),"lastTransitionTime":"2025-07-22T21:28:08Z","observedGeneration":1e30}"#,
        #"{\#(condition),"lastTransitionTime":"2025-07-22T21:28:08Z","observedGeneration":"3"}"#,
        #"{\#(condition),"lastTransitionTime":"yesterday"}"#,
        #"{\#(condition),"lastTransitionTime":null}"#,
        #"{\#(condition)}"#,
        #"{"type":"Approved","status":"Maybe","reason":"r","message":"m","lastTransitionTime":"2025-07-22T21:28:08Z"}"#,
        #"{"type":"Approved","status":"True","reason":"r","lastTransitionTime":"2025-07-22T21:28:08Z"}"#,
        #"{"type":1,"status":"True","reason":"r","message":"m","lastTransitionTime":"2025-07-22T21:28:08Z"}"#,
        #"["not an object"]"#,
    ]

    static let statuses: [String] = [
        #"{}"#, #"{"conditions":null}"#, #"{"conditions":[]}"#, #"{"other":true}"#, #"{"conditions":{}}"#, #"[]"#, #"null"#,
        #"{"conditions":[\#(conditions[0]),\#(conditions[1])]}"#, #"{"conditions":[\#(conditions[0]),\#(conditions[8])]}"#,
    ]

    static let strategies: [String] = [
        // The seed's strategy.
        #"{"stages":[{"name":"staging","labelSelector":{"matchLabels":{"environment":"staging"}},"afterStageTasks":[{"type":"TimedWait","waitTime":"1m"}]},{"name":"canary","labelSelector":{"matchLabels":{"environment":"canary"}},"sortingLabelKey":"name","afterStageTasks":[{"type":"Approval"}]}]}"#,
        #"{"stages":[]}"#,
        #"{"stages":[{"name":"s","labelSelector":{"matchExpressions":[{"key":"order","operator":"In","values":["1","2"]},{"key":"frozen","operator":"DoesNotExist"}]},"maxConcurrency":2}]}"#,
        #"{"stages":[{"name":"s","labelSelector":{"matchLabels":null,"matchExpressions":null},"maxConcurrency":"25%","sortingLabelKey":null}]}"#,
        #"{"stages":[{"name":"s","maxConcurrency":2.0,"beforeStageTasks":null,"afterStageTasks":[]}],"extra":true}"#,
        #"{"stages":[{"name":"s","beforeStageTasks":[{"type":"ScheduleWindow","scheduleWindow":{"schedule":"0 9 * * 1-5","duration":"2h","timeZone":"Europe/Paris","deny":true}}]}]}"#,
        #"{"stages":[{"name":"s","afterStageTasks":[{"type":"MetricGate","metricGate":{"address":"http://p:9090","query":"up","successCondition":"result >= 0.99"}}]}]}"#,
        #"{"stages":[{"name":"s","afterStageTasks":[{"type":"TimedWait","waitTime":null}]}]}"#,
        // What the decoder refuses.
        #"{"stages":[{"name":"s","maxConcurrency":2.5}]}"#,
        #"{"stages":[{"name":"s","maxConcurrency":true}]}"#,
        #"{"stages":[{"name":"s","afterStageTasks":[{"type":"TimedWait","waitTime":"soon"}]}]}"#,
        #"{"stages":[{"name":"s","afterStageTasks":[{"type":"Pause"}]}]}"#,
        #"{"stages":[{"name":"s","afterStageTasks":[{"waitTime":"1m"}]}]}"#,
        #"{"stages":[{"name":"s","afterStageTasks":{"type":"Approval"}}]}"#,
        #"{"stages":[{"name":"s","labelSelector":{"matchLabels":{"a":1}}}]}"#,
        #"{"stages":[{"name":"s","labelSelector":{"matchLabels":{"a":null}}}]}"#,
        #"{"stages":[{"name":"s","labelSelector":{"matchExpressions":[{"key":"a","operator":"Near"}]}}]}"#,
        #"{"stages":[{"name":"s","labelSelector":{"matchExpressions":[{"key":"a","operator":"In","values":[1]}]}}]}"#,
        #"{"stages":[{"name":"s","beforeStageTasks":[{"type":"ScheduleWindow","scheduleWindow":"weekdays"}]}]}"#,
        #"{"stages":[{"labelSelector":{}}]}"#,
        #"{"stages":null}"#,
        #"{}"#,
        #"[]"#,
    ]

    static let selector = #"{"group":"","version":"v1","kind":"Namespace","name":"test-namespace"}"#
    static let placements: [String] = [
        // The seed's placement.
        #"{"resourceSelectors":[\#(selector)],"policy":{"placementType":"PickAll"},"strategy":{"type":"External"}}"#,
        #"{"resourceSelectors":[]}"#,
        #"{"resourceSelectors":[{"group":"apps","version":"v1","kind":"Deployment","labelSelector":{"matchLabels":{"app":"web"}}}],"revisionHistoryLimit":10}"#,
        #"{"resourceSelectors":[\#(selector)],"policy":{"placementType":"PickN","numberOfClusters":3,"affinity":{"clusterAffinity":{}},"tolerations":[{"key":"k"}],"topologySpreadConstraints":[{"maxSkew":1}]}}"#,
        #"{"resourceSelectors":[\#(selector)],"policy":{"placementType":"PickFixed","clusterNames":["member1","member2"]},"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":"25%"},"applyStrategy":{"type":"ServerSideApply"}}}"#,
        #"{"resourceSelectors":[{"group":"","version":"v1","kind":"ConfigMap","name":null,"labelSelector":null}],"policy":{"placementType":null,"numberOfClusters":2.0,"affinity":null},"strategy":{"type":null,"rollingUpdate":null},"revisionHistoryLimit":null,"extra":1}"#,
        #"{"resourceSelectors":[\#(selector)],"policy":null,"strategy":null}"#,
        #"{"resourceSelectors":[\#(selector)],"policy":{},"strategy":{}}"#,
        // What the decoder refuses.
        #"{"resourceSelectors":[\#(selector)],"policy":{"placementType":"PickSome"}}"#,
        #"{"resourceSelectors":[\#(selector)],"policy":{"numberOfClusters":2.5}}"#,
        #"{"resourceSelectors":[\#(selector)],"policy":{"clusterNames":"member1"}}"#,
        #"{"resourceSelectors":[\#(selector)],"policy":{"clusterNames":[1]}}"#,
        #"{"resourceSelectors":[\#(selector)],"strategy":{"type":"Canary"}}"#,
        #"{"resourceSelectors":[\#(selector)],"strategy":"External"}"#,
        #"{"resourceSelectors":[\#(selector)],"revisionHistoryLimit":"10"}"#,
        #"{"resourceSelectors":[{"group":"","version":"v1"}]}"#,
        #"{"resourceSelectors":[{"group":"","version":"v1","kind":"ConfigMap","name":7}]}"#,
        #"{"resourceSelectors":[{"group":"","version":"v1","kind":"ConfigMap","labelSelector":{"matchLabels":{"a":1}}}]}"#,
        #"{"resourceSelectors":null}"#,
        #"{"policy":{"placementType":"PickAll"}}"#,
        #"[]"#,
    ]

    @Test(arguments: specs)
    func aRunSpec(_ text: String) throws { try expectReadAsDecoded(text, UpdateRunSpec.init(json:)) }

    @Test(arguments: conditions)
    func aCondition(_ text: String) throws { try expectReadAsDecoded(text, Condition.init(json:)) }

    @Test(arguments: statuses)
    func anApprovalStatus(_ text: String) throws {
        try expectReadAsDecoded(text, ApprovalRequestStatus.init(json:))
        let json = try JSON.parse(Array(text.utf8))
        #expect(ApprovalRequestStatus.conditions(of: json) == (try? json.decode(ApprovalRequestStatus.self))?.conditions ?? [])
    }

    @Test(arguments: strategies)
    func aStrategy(_ text: String) throws { try expectReadAsDecoded(text, StagedUpdateStrategySpec.init(json:)) }

    @Test(arguments: placements)
    func aPlacement(_ text: String) throws { try expectReadAsDecoded(text, PlacementSpec.init(json:)) }

    @Test func everyListHoldsBothOutcomes() throws {
        #expect(try decodable(Self.specs, as: UpdateRunSpec.self) == 6)
        #expect(try decodable(Self.conditions, as: Condition.self) == 5)
        #expect(try decodable(Self.statuses, as: ApprovalRequestStatus.self) == 5)
        #expect(try decodable(Self.strategies, as: StagedUpdateStrategySpec.self) == 8)
        #expect(try decodable(Self.placements, as: PlacementSpec.self) == 8)
    }
}
