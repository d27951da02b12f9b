import Testing
@testable import FleetAPI

/// KubeFleet's CRD rules, each with the message the API server gives.
struct FleetValidationTests {
    func errors(_ kind: ResourceKind, _ yaml: String, old: String? = nil) throws -> [String] {
        FleetValidation.validate(kind, object: try YAML.parse(yaml), old: try old.map(YAML.parse)).map(\.description)
    }

    func strategy(_ stage: String) -> String {
        """
        apiVersion: placement.kubernetes-fleet.io/v1beta1
        kind: ClusterStagedUpdateStrategy
        metadata:
          name: s
        spec:
          stages:
        \(stage)
        """
    }

    @Test func anApprovalMayNotWait() throws {
        let yaml = strategy("  - name: canary\n    afterStageTasks:\n    - type: Approval\n      waitTime: 1m")
        #expect(try errors(.clusterStagedUpdateStrategy, yaml) == [
            "spec.stages[0].afterStageTasks: Invalid value: \"array\": AfterStageTaskType is Approval, waitTime is not allowed"
        ])
    }

    @Test func aTimedWaitNeedsItsTime() throws {
        let yaml = strategy("  - name: staging\n    afterStageTasks:\n    - type: TimedWait")
        #expect(try errors(.clusterStagedUpdateStrategy, yaml) == [
            "spec.stages[0].afterStageTasks: Invalid value: \"array\": AfterStageTaskType is TimedWait, waitTime is required"
        ])
    }

    @Test func beforeStageTasksAreApprovalsOnly() throws {
        let yaml = strategy("  - name: canary\n    beforeStageTasks:\n    - type: TimedWait\n      waitTime: 1m")
        #expect(try errors(.clusterStagedUpdateStrategy, yaml) == [
            "spec.stages[0].beforeStageTasks: Invalid value: \"array\": BeforeStageTaskType cannot be TimedWait"
        ])
    }

    @Test func stageNamesAreLowercaseAlphanumeric() throws {
        #expect(try errors(.clusterStagedUpdateStrategy, strategy("  - name: Canary-1")) == [
            "spec.stages[0].name: Invalid value: \"Canary-1\": spec.stages[0].name in body should match '^[a-z0-9]+$'"
        ])
    }

    @Test func atMostThirtyOneStages() throws {
        let stages = (0..<32).map { "  - name: s\($0)" }.joined(separator: "\n")
        #expect(try errors(.clusterStagedUpdateStrategy, strategy(stages)) == ["spec.stages: Too many: 32: must have at most 31 items"])
    }

    @Test(arguments: [("0", false), ("\"50\"", false), ("\"0%\"", false), ("\"101%\"", false), ("\"50%\"", true), ("3", true), ("\"100%\"", true)])
    func maxConcurrency(_ value: String, _ valid: Bool) throws {
        let found = try errors(.clusterStagedUpdateStrategy, strategy("  - name: a\n    maxConcurrency: \(value)"))
        #expect(found.isEmpty == valid, "\(value): \(found)")
    }

    @Test(arguments: ["1d", "1", "01h", "0abc"])
    func waitTimesUseHoursMinutesAndSeconds(_ wait: String) throws {
        let found = try errors(.clusterStagedUpdateStrategy, strategy("  - name: a\n    afterStageTasks:\n    - type: TimedWait\n      waitTime: \"\(wait)\""))
        #expect(found == [
            "spec.stages[0].afterStageTasks[0].waitTime: Invalid value: \"\(wait)\": spec.stages[0].afterStageTasks[0].waitTime in body should match '^0|([0-9]+(\\.[0-9]+)?(s|m|h))+$'"
        ])
    }

    @Test func aScheduleWindowBesideAnApprovalIsValid() throws {
        let yaml = strategy("""
              - name: prod
                beforeStageTasks:
                - type: Approval
                - type: ScheduleWindow
                  scheduleWindow: {schedule: "0 9 * * 1-5", duration: 2h, timeZone: Europe/Paris, deny: true}
            """)
        #expect(try errors(.clusterStagedUpdateStrategy, yaml) == [])
        #expect(try errors(.stagedUpdateStrategy, yaml.replacingOccurrences(of: "kind: ClusterStagedUpdateStrategy", with: "kind: StagedUpdateStrategy").replacingOccurrences(of: "  name: s\n", with: "  name: s\n  namespace: ns\n")) == [])
    }

    @Test func aBadScheduleWindowNamesEachFieldAndRule() throws {
        let yaml = strategy("""
              - name: prod
                beforeStageTasks:
                - type: ScheduleWindow
                  scheduleWindow: {schedule: "0 25 * * *", duration: soon, timeZone: Mars/Olympus, deny: "yes"}
                afterStageTasks:
                - type: ScheduleWindow
                - type: Approval
                  scheduleWindow: {schedule: "* * * * *", duration: 1h}
            """)
        #expect(try errors(.clusterStagedUpdateStrategy, yaml) == [
            "spec.stages[0].afterStageTasks[0].type: Invalid value: \"ScheduleWindow\": only allowed in beforeStageTasks",
            "spec.stages[0].afterStageTasks[0].scheduleWindow: Required value: a ScheduleWindow task needs its window",
            "spec.stages[0].afterStageTasks[1].scheduleWindow: Forbidden: only allowed when type is ScheduleWindow",
            "spec.stages[0].beforeStageTasks[0].scheduleWindow.schedule: Invalid value: \"0 25 * * *\": hour field \"25\": values must be from 0 to 23",
            "spec.stages[0].beforeStageTasks[0].scheduleWindow.duration: Invalid value: \"soon\": must be a positive duration such as 2h or 30m",
            "spec.stages[0].beforeStageTasks[0].scheduleWindow.timeZone: Invalid value: \"Mars/Olympus\": not a known IANA time zone such as Europe/Paris",
            "spec.stages[0].beforeStageTasks[0].scheduleWindow.deny: Invalid value: \"string\": spec.stages[0].beforeStageTasks[0].scheduleWindow.deny in body must be of type boolean: \"string\"",
        ])
    }

    @Test func metricGatesBeforeAndAfterAStageBesideKubeFleetsTasksAreValid() throws {
        let gate = "metricGate: {address: \"http://prometheus:9090\", query: up, successCondition: result >= 0.99, interval: 30s, count: 3, failureLimit: 1}"
        let yaml = strategy("""
              - name: prod
                beforeStageTasks:
                - type: Approval
                - type: MetricGate
                  \(gate)
                afterStageTasks:
                - type: TimedWait
                  waitTime: 1m
                - type: Approval
                - type: MetricGate
                  \(gate)
            """)
        #expect(try errors(.clusterStagedUpdateStrategy, yaml) == [])
    }

    @Test func aBadMetricGateNamesEachFieldAndRule() throws {
        let yaml = strategy("""
              - name: prod
                afterStageTasks:
                - type: MetricGate
                  waitTime: 1m
                  metricGate: {address: "prometheus:9090", query: "", successCondition: "up > 1", interval: 0s, count: 0, failureLimit: "1"}
                - type: MetricGate
                - type: TimedWait
                  waitTime: 1m
                  metricGate: {address: "http://p", query: up, successCondition: result > 1}
            """)
        #expect(try errors(.clusterStagedUpdateStrategy, yaml) == [
            "spec.stages[0].afterStageTasks[0].waitTime: Forbidden: not allowed when type is MetricGate",
            "spec.stages[0].afterStageTasks[0].metricGate.address: Invalid value: \"prometheus:9090\": must be an http or https URL such as http://prometheus:9090",
            "spec.stages[0].afterStageTasks[0].metricGate.query: Required value",
            "spec.stages[0].afterStageTasks[0].metricGate.successCondition: Invalid value: \"up > 1\": must compare result with a number, such as result >= 0.99",
            "spec.stages[0].afterStageTasks[0].metricGate.interval: Invalid value: \"0s\": must be a positive duration such as 1m",
            "spec.stages[0].afterStageTasks[0].metricGate.count: Invalid value: 0: must be from 1 to 1000",
            "spec.stages[0].afterStageTasks[0].metricGate.failureLimit: Invalid value: \"string\": spec.stages[0].afterStageTasks[0].metricGate.failureLimit in body must be of type integer: \"string\"",
            "spec.stages[0].afterStageTasks[1].metricGate: Required value: a MetricGate task needs its gate",
            "spec.stages[0].afterStageTasks[2].metricGate: Forbidden: only allowed when type is MetricGate",
        ])
    }

    @Test func twoApprovalsBeforeAStageAreStillTooMany() throws {
        let yaml = strategy("  - name: prod\n    beforeStageTasks:\n    - type: Approval\n    - type: Approval")
        #expect(try errors(.clusterStagedUpdateStrategy, yaml) == ["spec.stages[0].beforeStageTasks: Too many: 2: must have at most 1 items"])
    }

    let run = """
        apiVersion: placement.kubernetes-fleet.io/v1beta1
        kind: ClusterStagedUpdateRun
        metadata:
          name: example-run
        spec:
          placementName: example-placement
          resourceSnapshotIndex: "1"
          stagedRolloutStrategyName: example-strategy
        """

    @Test func runSpecFieldsAreImmutable() throws {
        let changed = run.replacingOccurrences(of: "\"1\"", with: "\"0\"").replacingOccurrences(of: "example-strategy", with: "other")
        #expect(try errors(.clusterStagedUpdateRun, changed, old: run) == [
            "spec.resourceSnapshotIndex: Invalid value: \"string\": resourceSnapshotIndex is immutable",
            "spec.stagedRolloutStrategyName: Invalid value: \"string\": stagedRolloutStrategyName is immutable",
        ])
    }

    @Test func runStatesMoveOnlyForward() throws {
        let initialize = run + "\n  state: Initialize"
        let stop = run + "\n  state: Stop"
        #expect(try errors(.clusterStagedUpdateRun, stop, old: initialize) == [
            "spec: Invalid value: \"object\": invalid state transition: cannot transition from Initialize to Stop"
        ])
        #expect(try errors(.clusterStagedUpdateRun, initialize, old: run) == [
            "spec: Invalid value: \"object\": invalid state transition: cannot transition from Run to Initialize"
        ])
        #expect(try errors(.clusterStagedUpdateRun, stop, old: run) == [])
        #expect(try errors(.clusterStagedUpdateRun, run + "\n  state: Pause") == [
            "spec.state: Unsupported value: \"Pause\": supported values: \"Initialize\", \"Run\", \"Stop\""
        ])
    }

    @Test func runNamesAreUnder64Characters() throws {
        let long = run.replacingOccurrences(of: "name: example-run", with: "name: " + String(repeating: "a", count: 64))
        #expect(try errors(.clusterStagedUpdateRun, long) == ["<nil>: Invalid value: \"object\": metadata.name max length is 63"])
    }

    @Test func runsNeedAPlacementAndAStrategy() throws {
        let bare = "apiVersion: placement.kubernetes-fleet.io/v1beta1\nkind: ClusterStagedUpdateRun\nmetadata:\n  name: r\nspec:\n  resourceSnapshotIndex: \"1\""
        #expect(try errors(.clusterStagedUpdateRun, bare) == ["spec.placementName: Required value", "spec.stagedRolloutStrategyName: Required value"])
    }

    @Test func approvalRequestSpecsAreImmutable() throws {
        let request = "apiVersion: placement.kubernetes-fleet.io/v1beta1\nkind: ClusterApprovalRequest\nmetadata:\n  name: r\nspec:\n  parentStageRollout: run\n  targetStage: canary"
        #expect(try errors(.clusterApprovalRequest, request.replacingOccurrences(of: "canary", with: "staging"), old: request) == [
            "spec: Invalid value: \"object\": The spec field is immutable"
        ])
    }

    @Test func placementsCannotLeaveExternal() throws {
        let external = "apiVersion: placement.kubernetes-fleet.io/v1beta1\nkind: ClusterResourcePlacement\nmetadata:\n  name: p\nspec:\n  resourceSelectors:\n  - group: \"\"\n    kind: Namespace\n    version: v1\n    name: n\n  strategy:\n    type: External"
        #expect(try errors(.clusterResourcePlacement, external.replacingOccurrences(of: "External", with: "RollingUpdate"), old: external) == [
            "spec.strategy: Invalid value: \"object\": cannot change rollout strategy type from External"
        ])
    }

    @Test(arguments: [
        ("maxUnavailable: -1", "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: -1: maxUnavailable must be greater than or equal to 0, got `-1`"),
        ("maxSurge: \"150%\"", "spec.strategy.rollingUpdate.maxSurge: Invalid value: \"150%\": spec.strategy.rollingUpdate.maxSurge in body should match '^((100|[0-9]{1,2})%|[0-9]+)$'"),
        ("maxSurge: [1]", "spec.strategy.rollingUpdate.maxSurge: Invalid value: \"array\": spec.strategy.rollingUpdate.maxSurge in body must be of type integer or string: \"array\""),
        ("unavailablePeriodSeconds: -5", "spec.strategy.rollingUpdate.unavailablePeriodSeconds: Invalid value: -5: spec.strategy.rollingUpdate.unavailablePeriodSeconds in body should be greater than or equal to 0"),
    ])
    func aRollingUpdatesSettingsAreCountsOrPercentages(setting: String, error: String) throws {
        let placement = "apiVersion: placement.kubernetes-fleet.io/v1beta1\nkind: ClusterResourcePlacement\nmetadata:\n  name: p\nspec:\n  resourceSelectors:\n  - group: \"\"\n    kind: Namespace\n    version: v1\n    name: ns\n  strategy:\n    type: RollingUpdate\n    rollingUpdate:\n      "
        #expect(try errors(.clusterResourcePlacement, placement + setting) == [error])
        let valid = try errors(.clusterResourcePlacement, placement + "maxUnavailable: \"25%\"\n      maxSurge: 0\n      unavailablePeriodSeconds: 0")
        #expect(valid == [], "\(valid)")
        let external = placement.replacingOccurrences(of: "type: RollingUpdate", with: "type: External") + "maxSurge: 1"
        #expect(try errors(.clusterResourcePlacement, external) == [
            "spec.strategy.rollingUpdate: Invalid value: \"object\": rollingUpdateConifg is not valid for ExternalRollout strategy type"
        ])
    }

    @Test func theMessageNamesKindGroupAndObject() {
        let invalid = InvalidObject(kind: "ClusterStagedUpdateRun", name: "r", causes: [FieldError(field: "spec.placementName", rule: "Required value")])
        #expect(invalid.message(group: "placement.kubernetes-fleet.io") == "ClusterStagedUpdateRun.placement.kubernetes-fleet.io \"r\" is invalid: spec.placementName: Required value")
    }
}

/// Roles and bindings, with the API server's messages.
struct RBACValidationTests {
    func errors(_ kind: ResourceKind, _ object: JSON, old: JSON? = nil) -> [String] {
        FleetValidation.validate(kind, object: object, old: old).map(\.description)
    }

    @Test func rbacNamesArePathSegments() {
        #expect(errors(.clusterRole, ["metadata": ["name": "system:basic-user"]]).isEmpty)
        #expect(errors(.clusterRole, ["metadata": ["name": "a/b"]]) == [#"metadata.name: Invalid value: "a/b": may not contain '/'"#])
    }

    @Test func aBindingsRoleRefCannotChange() {
        let binding: JSON = [
            "metadata": ["name": "b", "namespace": "team-a"],
            "roleRef": ["apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "view"],
            "subjects": [["kind": "User", "name": "alice"]],
        ]
        #expect(errors(.roleBinding, binding).isEmpty)
        var changed = binding
        changed[path: ["roleRef", "name"]] = "edit"
        #expect(errors(.roleBinding, changed, old: binding)
            == [#"roleRef: Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"ClusterRole", Name:"edit"}: cannot change roleRef"#])
    }

    @Test func aClusterRoleBindingBindsOnlyClusterRolesAndNamesItsServiceAccountsNamespace() {
        let binding: JSON = [
            "metadata": ["name": "b"],
            "roleRef": ["apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "r"],
            "subjects": [["kind": "ServiceAccount", "name": "sa"], ["kind": "Robot", "name": "x"]],
        ]
        #expect(errors(.clusterRoleBinding, binding) == [
            #"roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole""#,
            "subjects[0].namespace: Required value",
            #"subjects[1].kind: Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group""#,
        ])
    }

    @Test func namespacedRulesCannotNameURLsAndEveryRuleNeedsVerbs() {
        let role: JSON = ["metadata": ["name": "r", "namespace": "a"], "rules": [["nonResourceURLs": ["/healthz"]]]]
        #expect(errors(.role, role) == [
            "rules[0].verbs: Required value: verbs must contain at least one value",
            #"rules[0].nonResourceURLs: Invalid value: []string{"/healthz"}: namespaced rules cannot apply to non-resource URLs"#,
        ])
    }
}
