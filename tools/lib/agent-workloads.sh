# Sourced by tools/e2e-seed for tools/e2e-agents, on the same hub once the tutorial is done: a CRD, a custom
# resource, a Deployment and a ResourceEnvelope wrapping a ConfigMap placed through a staged run, then seen
# applied and available on every member's own API server: the ConfigMap, not the envelope, in a Work of its own.
echo "# Workloads through agents"
cat >apps-crd.yaml <<'YAML'
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: crontabs.stable.example.com
spec:
  group: stable.example.com
  scope: Namespaced
  names: {plural: crontabs, singular: crontab, kind: CronTab, shortNames: [ct]}
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                cronSpec: {type: string}
YAML
cat >apps.yaml <<'YAML'
apiVersion: v1
kind: Namespace
metadata:
  name: apps
---
apiVersion: stable.example.com/v1
kind: CronTab
metadata:
  name: nightly
  namespace: apps
spec:
  cronSpec: "0 3 * * *"
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: apps
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx:1.27
---
apiVersion: placement.kubernetes-fleet.io/v1beta1
kind: ResourceEnvelope
metadata:
  name: apps-config
  namespace: apps
data:
  "config.yaml":
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: apps-config
      namespace: apps
    data:
      greeting: hello from an envelope
YAML
cat >apps-placement.yaml <<'YAML'
apiVersion: placement.kubernetes-fleet.io/v1beta1
kind: ClusterResourcePlacement
metadata:
  name: apps
spec:
  resourceSelectors:
    - {group: apiextensions.k8s.io, kind: CustomResourceDefinition, name: crontabs.stable.example.com, version: v1}
    - {group: "", kind: Namespace, name: apps, version: v1}
  policy:
    placementType: PickAll
  strategy:
    type: External
---
apiVersion: placement.kubernetes-fleet.io/v1beta1
kind: ClusterStagedUpdateStrategy
metadata:
  name: all-at-once
spec:
  stages:
    - name: everyone
      labelSelector: {}
---
apiVersion: placement.kubernetes-fleet.io/v1beta1
kind: ClusterStagedUpdateRun
metadata:
  name: apps-run
spec:
  placementName: apps
  resourceSnapshotIndex: "0"
  stagedRolloutStrategyName: all-at-once
YAML
run kubectl apply -f apps-crd.yaml
run kubectl apply -f apps.yaml
expect '^deployment.apps/web created$'
run kubectl apply -f apps-placement.yaml
expect '^clusterstagedupdaterun.placement.kubernetes-fleet.io/apps-run created$'
wait_for "kubectl get csur apps-run -o jsonpath='{.status.conditions[?(@.type==\"Succeeded\")].status}' | grep -qx True"
run kubectl get works -n fleet-member-member1
expect '^apps-work '
run kubectl get work apps-work -n fleet-member-member1 -o jsonpath='{.status.conditions[*].type}={.status.conditions[*].status}'
expect '^Applied Available=True True$'
# The envelope's Work: named from sha256("ResourceEnvelope/apps/apps-config"), holding the ConfigMap alone.
envelope_work=apps-work-envelope-290f83b4e5a7b9b9
run kubectl get work "$envelope_work" -n fleet-member-member1 -o jsonpath='{.metadata.labels.kubernetes-fleet\.io/envelope-work} {.spec.workload.manifests[*].kind} {.status.conditions[*].type}={.status.conditions[*].status}'
expect '^ResourceEnvelope ConfigMap Applied Available=True True$'
run kubectl get resourceenvelopes -n apps
expect '^apps-config +[0-9]+s$'
refused kubectl get configmap apps-config -n apps
expect 'configmaps "apps-config" not found'
# A namespaced object in a ClusterResourceEnvelope is refused in KubeFleet's words, and nothing is written.
cat >misused-envelope.yaml <<'YAML'
apiVersion: placement.kubernetes-fleet.io/v1beta1
kind: ClusterResourceEnvelope
metadata:
  name: misused
data:
  "cm.yaml":
    apiVersion: v1
    kind: ConfigMap
    metadata: {name: apps-config, namespace: apps}
YAML
refused kubectl apply -f misused-envelope.yaml
expect 'The ClusterResourceEnvelope "misused" is invalid: data.cm.yaml: Invalid value: "object": a namespaced object cm.yaml \(apps/apps-config\) has been wrapped in a cluster resource envelope misused'
run kubectl get clusterresourceenvelopes
expect '^No resources found$'
for m in member1 member2 member3; do
  run kubectl --kubeconfig "$work/$m.kubeconfig" get crd crontabs.stable.example.com -o jsonpath='{.status.conditions[?(@.type=="Established")].status}'
  expect '^True$'
  run kubectl --kubeconfig "$work/$m.kubeconfig" get ct nightly -n apps -o jsonpath='{.spec.cronSpec}'
  expect '^0 3 \* \* \*$'
  run kubectl --kubeconfig "$work/$m.kubeconfig" rollout status deployment/web -n apps --timeout 30s
  expect 'successfully rolled out'
  run kubectl --kubeconfig "$work/$m.kubeconfig" get configmap apps-config -n apps -o jsonpath='{.data.greeting}'
  expect '^hello from an envelope$'
  run kubectl --kubeconfig "$work/$m.kubeconfig" get resourceenvelopes -n apps
  expect '^No resources found in apps namespace.$'
done
