import Console
import FleetAPI
import Foundation
import Rollout

/// The web console under `/ui/`: its page, style and script go to anyone, since they hold no data; everything
/// the page shows it reads through the API with the caller's own identity (as `kubectl proxy` forwards it), so
/// authentication, RBAC and the per-user limits apply to the console exactly as to kubectl.
///
/// - `GET /ui/`, `/ui/console.css`, `/ui/console.js`: the assets, compiled into the binary.
/// - `GET /ui/timeline/[as-of/<seq|time>/]apis/placement.kubernetes-fleet.io/v1beta1/[namespaces/<ns>/](cluster)stagedupdateruns/<name>`:
///   the run's timeline as `flotilla timeline` draws it (`TimelineSVG`), from a GET of the API path after
///   `timeline/` made as the caller, and from the audit for who approved; under `as-of` as the run stood then.
struct ConsoleRoutes {
    let api: APIHandler

    static func serves(_ path: String) -> Bool { path == "/ui" || path.hasPrefix("/ui/") }

    func handle(_ request: APIRequest) async -> APIResponse {
        guard request.method == "GET" else {
            return KubeStatus.methodNotAllowed("the console under /ui/ is read-only: its writes go through the API").response
        }
        let rest = String(request.path.dropFirst("/ui".count))
        switch rest {
        case "":
            // Relative to /ui, so the redirect holds behind a proxy that serves the hub under a prefix.
            var response = APIResponse(status: 301, contentType: "text/plain; charset=utf-8", body: .bytes([]))
            response.headers["Location"] = "ui/"
            return response
        case "/", "/index.html": return Self.asset(ConsolePage.html, "text/html; charset=utf-8")
        case "/console.css": return Self.asset(ConsolePage.css, "text/css; charset=utf-8")
        case "/console.js": return Self.asset(ConsoleScript.source, "text/javascript; charset=utf-8")
        default:
            if rest.hasPrefix("/timeline/") { return await timeline(request, runPath: String(rest.dropFirst("/timeline".count))) }
            return KubeStatus(code: 404, reason: "NotFound", message: "the console has no page \(request.path)").response
        }
    }

    static func asset(_ text: String, _ contentType: String) -> APIResponse {
        var response = APIResponse(status: 200, contentType: contentType, body: .bytes(Array(text.utf8)))
        // The assets change only with the binary; a reload after an upgrade must not mix old and new.
        response.headers["Cache-Control"] = "no-cache"
        return response
    }

    func timeline(_ request: APIRequest, runPath: String) async -> APIResponse {
        let segments = runPath.split(separator: "/").map(String.init)
        let asOf = segments.first == "as-of" && segments.count > 2 ? segments[1] : nil
        let apiPath = Array(segments.dropFirst(asOf == nil ? 0 : 2))
        guard apiPath.count >= 5, apiPath[0] == "apis", apiPath[apiPath.count - 2].hasSuffix("stagedupdateruns") else {
            return KubeStatus(
                code: 404, reason: "NotFound",
                message: "the console draws timelines of staged update runs: /ui/timeline/ takes a run's API path, such as apis/placement.kubernetes-fleet.io/v1beta1/clusterstagedupdateruns/example-run"
            ).response
        }
        // The run first, as the caller: a refusal or a 404 is the answer, before anything about the past is read.
        let run = await api.handle(request.asConsoleRead(path: runPath, query: [:]))
        guard run.status == 200 else { return run }
        do {
            let past = try asOf.map { try PastView.at($0, in: api.hub.journal) }
            var query = ["run": apiPath[apiPath.count - 1]]
            if let index = apiPath.firstIndex(of: "namespaces"), index + 1 < apiPath.count { query["namespace"] = apiPath[index + 1] }
            let audit = await api.handle(request.asConsoleRead(path: "/flotilla/v1/audit", query: query))
            // A caller the audit refuses still sees the run, without the approvers' names, as `flotilla status` does.
            let lines = audit.status == 200 ? ((try? JSON.parse(audit.bytes))?["lines"]?.arrayValue ?? []) : []
            let known = lines.filter { line in past.map { (line["seq"]?.intValue ?? .max) <= $0.seq } ?? true }
            let view = try RunView(run: try JSON.parse(run.bytes), approvals: Approval.byRequest(auditLines: known))
            let svg = TimelineSVG.render(view, now: past?.time ?? api.hub.clock.now())
            return APIResponse(status: 200, contentType: "image/svg+xml", body: .bytes(Array(svg.utf8)))
        } catch let status as KubeStatus {
            return status.response
        } catch {
            return KubeStatus.badRequest("the run cannot be drawn: \(error)").response
        }
    }
}

extension APIRequest {
    /// A GET the console makes on the caller's behalf: the same credentials (headers, client certificate,
    /// impersonation), another path.
    func asConsoleRead(path: String, query: [String: String]) -> APIRequest {
        var headers = headers
        headers["accept"] = APIResponse.json
        return APIRequest(
            method: "GET", path: path, query: query, headers: headers, clientCertificate: clientCertificate,
            impersonation: impersonation)
    }
}
