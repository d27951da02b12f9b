/// The console's script: plain JavaScript, no library. Every read and write is an ordinary API call from the
/// browser (kubectl's paths, the hub's `/flotilla/v1/` history, and `/ui/timeline/` for a run's picture), so
/// what a user sees and may do is what RBAC grants the identity the browser's requests carry.
enum ConsoleScript {
    static let source = #"""
        'use strict';
        // The hub's root, so the console works where a proxy serves the hub under a prefix.
        const base = location.pathname.slice(0, location.pathname.lastIndexOf('/ui/'));
        const group = '/apis/placement.kubernetes-fleet.io/v1beta1';
        const main = document.getElementById('main');
        // Ends the current page's watch when the user leaves it.
        let leave = new AbortController();

        function esc(text) {
          return String(text ?? '').replace(/[&<>"']/g, c => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'})[c]);
        }

        async function request(path, options = {}) {
          const response = await fetch(base + path, Object.assign({headers: {Accept: 'application/json'}}, options));
          const text = await response.text();
          if (!response.ok) {
            let message = text;
            try { message = JSON.parse(text).message || text; } catch (_) {}
            const error = new Error(`${response.status}: ${message}`);
            error.status = response.status;
            throw error;
          }
          return text;
        }
        const getJSON = async path => JSON.parse(await request(path));

        function condition(object, type) { return (object.status?.conditions || []).find(c => c.type === type); }
        function chips(conditions) {
          return (conditions || []).map(c => `<span class="chip ${esc(c.status)}" title="${esc(c.reason)}: ${esc(c.message)}">${esc(c.type)}=${esc(c.status)}</span>`).join(' ');
        }
        function labels(object) {
          return Object.entries(object.metadata.labels || {}).map(([k, v]) => `<span class="chip">${esc(k)}=${esc(v)}</span>`).join(' ');
        }
        function showError(error) { main.insertAdjacentHTML('beforeend', `<p class="error">${esc(error.message)}</p>`); }

        async function runsPage() {
          const [cluster, namespaced] = await Promise.all([
            getJSON(`${group}/clusterstagedupdateruns`), getJSON(`${group}/stagedupdateruns`)]);
          const rows = [...cluster.items.map(r => ['csur', r]), ...namespaced.items.map(r => ['sur', r])].map(([kind, run]) => {
            const ns = run.metadata.namespace || '-';
            return `<tr><td><a href="#/run/${kind}/${esc(ns)}/${esc(run.metadata.name)}">${esc(run.metadata.name)}</a></td>
              <td>${esc(run.metadata.namespace || '')}</td><td>${esc(run.spec.placementName)}</td>
              <td>${esc(run.spec.resourceSnapshotIndex || '')}</td><td>${chips(run.status?.conditions)}</td></tr>`;
          });
          main.innerHTML = `<h1>Staged update runs</h1><table id="runs"><tr><th>NAME</th><th>NAMESPACE</th><th>PLACEMENT</th>
            <th>RESOURCE SNAPSHOT</th><th>CONDITIONS</th></tr>${rows.join('')}</table>`;
        }

        function runPath(kind, ns, name) {
          return kind === 'csur' ? `${group}/clusterstagedupdateruns/${name}` : `${group}/namespaces/${ns}/stagedupdateruns/${name}`;
        }

        async function runPage(kind, ns, name) {
          const path = runPath(kind, ns, name);
          main.innerHTML = `<h1>${kind === 'csur' ? 'ClusterStagedUpdateRun ' : 'StagedUpdateRun ' + esc(ns) + '/'}${esc(name)}</h1>
            <div id="timeline"></div><p class="muted" id="live"></p><h2>Approval requests</h2><div id="approvals"></div>
            <div id="replay"></div>`;
          // A finished run changes no more: its watch ends, and the replay owns the picture from then on.
          const watching = new AbortController();
          leave.signal.addEventListener('abort', () => watching.abort());
          const signal = watching.signal;
          let drawing = null, again = false;
          // One redraw at a time; events that arrive meanwhile fold into one more.
          async function redraw() {
            if (drawing) { again = true; return drawing; }
            drawing = (async () => {
              do {
                again = false;
                const run = await getJSON(path);
                document.getElementById('timeline').innerHTML = await request('/ui/timeline' + path);
                await drawApprovals(kind, ns, name);
                const done = condition(run, 'Succeeded');
                document.getElementById('live').textContent = `resourceVersion ${run.metadata.resourceVersion}` +
                  (done && done.status !== 'Unknown' ? `, finished: ${done.reason}` : ', following the run live');
                if (done && done.status !== 'Unknown') {
                  watching.abort();
                  await drawReplay(kind, ns, name, path);
                }
              } while (again && !signal.aborted);
            })().finally(() => { drawing = null; });
            return drawing;
          }
          await redraw();
          follow(path, name, signal, redraw);
        }

        // The run's watch, streamed: each event redraws. A watch the hub ends is opened again while the page is shown.
        async function follow(path, name, signal, redraw) {
          const collection = path.slice(0, path.lastIndexOf('/'));
          while (!signal.aborted) {
            try {
              const response = await fetch(`${base}${collection}?watch=1&fieldSelector=${encodeURIComponent('metadata.name=' + name)}`, {signal});
              if (!response.ok) throw new Error(`watch: ${response.status}`);
              const reader = response.body.getReader();
              const decoder = new TextDecoder();
              let buffered = '';
              for (;;) {
                const {value, done} = await reader.read();
                if (done) break;
                buffered += decoder.decode(value, {stream: true});
                if (buffered.includes('\n')) {
                  buffered = buffered.slice(buffered.lastIndexOf('\n') + 1);
                  await redraw().catch(showError);
                }
              }
            } catch (error) {
              if (signal.aborted) return;
              showError(error);
              await new Promise(resolve => setTimeout(resolve, 2000));
            }
          }
        }

        // `past` is an as-of prefix (`/as-of/SEQ`) while the replay shows that moment: read-only, nothing to approve.
        async function drawApprovals(kind, ns, name, past = '') {
          const plural = kind === 'csur' ? 'clusterapprovalrequests' : 'approvalrequests';
          const collection = kind === 'csur' ? `${group}/${plural}` : `${group}/namespaces/${ns}/${plural}`;
          const requests = (await getJSON(past + collection)).items.filter(r => r.spec.parentStageRollout === name);
          const rows = requests.map(r => {
            const approved = condition(r, 'Approved');
            const accepted = condition(r, 'ApprovalAccepted');
            const state = approved?.status === 'True'
              ? `approved at ${esc(approved.lastTransitionTime)}${accepted?.status === 'True' ? ', accepted' : ''}`
              : past ? 'waiting for approval' : `<button class="approve" data-request="${esc(r.metadata.name)}">Approve</button>`;
            return `<tr><td>${esc(r.metadata.name)}</td><td>${esc(r.spec.targetStage)}</td><td>${state}</td></tr>`;
          });
          const target = document.getElementById('approvals');
          target.innerHTML = rows.length ? `<table><tr><th>NAME</th><th>STAGE</th><th>STATE</th></tr>${rows.join('')}</table>` : '<p class="muted">none yet</p>';
          for (const button of target.querySelectorAll('button.approve')) {
            button.onclick = () => {
              button.disabled = true;
              approve(`${collection}/${button.dataset.request}`, plural).catch(error => { button.disabled = false; showError(error); });
            };
          }
        }

        // As `flotilla approve` does: the Approved condition at the request's generation, as a status merge patch
        // that carries the resourceVersion it read, tried again on a conflict.
        async function approve(path, plural) {
          for (let attempt = 0; ; attempt++) {
            const current = await getJSON(path);
            const conditions = (current.status?.conditions || []).filter(c => c.type !== 'Approved');
            conditions.push({
              type: 'Approved', status: 'True', observedGeneration: current.metadata.generation || 1,
              reason: plural === 'clusterapprovalrequests' ? 'ClusterApprovalRequestApproved' : 'ApprovalRequestApproved',
              message: 'approved in the Flotilla console', lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
            });
            try {
              await request(path + '/status', {
                method: 'PATCH', headers: {'Content-Type': 'application/merge-patch+json', Accept: 'application/json'},
                body: JSON.stringify({metadata: {resourceVersion: current.metadata.resourceVersion}, status: {conditions}}),
              });
              return;
            } catch (error) {
              if (error.status !== 409 || attempt >= 10) throw error;
            }
          }
        }

        // A finished run's replay: a step per journal event of the run (its audit lines), each drawn from the hub
        // as it stood at that seq.
        async function drawReplay(kind, ns, name, path) {
          const query = new URLSearchParams({run: name});
          if (kind === 'sur') query.set('namespace', ns);
          const lines = (await getJSON(`/flotilla/v1/audit?${query}`)).lines;
          if (!lines.length) return;
          const target = document.getElementById('replay');
          target.innerHTML = `<h2>Replay</h2><input id="replay-slider" type="range" min="0" max="${lines.length - 1}" value="${lines.length - 1}">
            <span id="replay-label" class="muted"></span><h2>The fleet at that moment</h2><div id="replay-fleet"></div>`;
          const slider = document.getElementById('replay-slider');
          const run = await getJSON(path);
          const placementPath = kind === 'csur'
            ? `${group}/clusterresourceplacements/${run.spec.placementName}`
            : `${group}/namespaces/${ns}/resourceplacements/${run.spec.placementName}`;
          let shown = 0;
          slider.oninput = async () => {
            const line = lines[slider.value];
            const ticket = ++shown;
            const past = `/as-of/${line.seq}`;
            document.getElementById('replay-label').textContent = `seq ${line.seq} at ${line.time}: ${line.actor} ${line.action} ${line.object} ${line.detail || ''}`;
            slider.dataset.seq = line.seq;
            try {
              const [svg, then, placement] = await Promise.all([
                request(`/ui/timeline${past}${path}`), getJSON(past + path), getJSON(past + placementPath).catch(() => null)]);
              if (ticket !== shown) return;
              document.getElementById('timeline').innerHTML = svg;
              document.getElementById('live').textContent = `as of seq ${line.seq} (${line.time}): resourceVersion ${then.metadata.resourceVersion}`;
              await drawApprovals(kind, ns, name, past);
              document.getElementById('replay-fleet').innerHTML = replayedFleet(placement);
              slider.dataset.shown = line.seq;
            } catch (error) { showError(error); }
          };
          const last = lines[lines.length - 1];
          document.getElementById('replay-label').textContent = `seq ${last.seq} at ${last.time}: drag to see the run as it stood at any of its ${lines.length} steps`;
        }

        // Each cluster of the run's placement as the replayed moment had it: the snapshot it held and whether it was available.
        function replayedFleet(placement) {
          const clusters = placement?.status?.placementStatuses || [];
          if (!clusters.length) return '<p class="muted">no cluster picked yet</p>';
          const rows = clusters.filter(c => c.clusterName).map(c => {
            const available = (c.conditions || []).find(x => x.type === 'Available');
            return `<tr><td>${esc(c.clusterName)}</td><td>${esc(c.observedResourceIndex || '-')}</td><td>${esc(available?.status || 'Unknown')}</td></tr>`;
          });
          return `<table id="replay-members"><tr><th>CLUSTER</th><th>SNAPSHOT</th><th>AVAILABLE</th></tr>${rows.join('')}</table>`;
        }

        async function fleetPage() {
          const members = (await getJSON('/apis/cluster.kubernetes-fleet.io/v1beta1/memberclusters')).items;
          const rows = members.map(m => `<tr><td>${esc(m.metadata.name)}</td><td>${labels(m)}</td><td>${chips(m.status?.conditions)}</td></tr>`);
          main.innerHTML = `<h1>Fleet</h1><table id="members"><tr><th>MEMBER</th><th>LABELS</th><th>HEALTH</th></tr>${rows.join('')}</table>`;
        }

        async function placementsPage() {
          const [cluster, namespaced] = await Promise.all([
            getJSON(`${group}/clusterresourceplacements`), getJSON(`${group}/resourceplacements`)]);
          const rows = [...cluster.items.map(p => ['crp', p]), ...namespaced.items.map(p => ['rp', p])].map(([kind, p]) =>
            `<tr><td><a href="#/placement/${kind}/${esc(p.metadata.namespace || '-')}/${esc(p.metadata.name)}">${esc(p.metadata.name)}</a></td>
              <td>${esc(p.metadata.namespace || '')}</td><td>${esc(p.status?.observedResourceIndex || '')}</td><td>${chips(p.status?.conditions)}</td></tr>`);
          main.innerHTML = `<h1>Placements</h1><table id="placements"><tr><th>NAME</th><th>NAMESPACE</th><th>RESOURCE INDEX</th>
            <th>CONDITIONS</th></tr>${rows.join('')}</table>`;
        }

        async function placementPage(kind, ns, name) {
          const path = kind === 'crp' ? `${group}/clusterresourceplacements/${name}` : `${group}/namespaces/${ns}/resourceplacements/${name}`;
          const query = new URLSearchParams({placement: name});
          if (kind === 'rp') query.set('namespace', ns);
          const [placement, history] = await Promise.all([getJSON(path), getJSON(`/flotilla/v1/snapshots?${query}`)]);
          const holdings = (placement.status?.placementStatuses || []).map(s =>
            `<tr><td>${esc(s.clusterName)}</td><td>${esc(s.observedResourceIndex || '')}</td><td>${chips(s.conditions)}</td></tr>`);
          const snapshots = history.snapshots.map(s => `<tr><td>${s.index}</td><td>${s.seq}</td><td>${esc(s.time)}</td><td>${esc(s.object)}</td>
            <td>${s.deliveries.map(d => `${esc(d.cluster)} by ${esc(d.run)} at ${esc(d.time)}`).join('<br>')}</td><td class="muted">${esc(s.hash.slice(0, 12))}</td></tr>`);
          const options = history.snapshots.map(s => `<option value="${s.index}">${s.index}</option>`).join('');
          main.innerHTML = `<h1>${kind === 'crp' ? 'ClusterResourcePlacement ' : 'ResourcePlacement ' + esc(ns) + '/'}${esc(name)}</h1>
            <p>${chips(placement.status?.conditions)}</p>
            <h2>Clusters</h2><table><tr><th>CLUSTER</th><th>RESOURCE INDEX</th><th>CONDITIONS</th></tr>${holdings.join('')}</table>
            <h2>Resource snapshots</h2><table id="snapshots"><tr><th>INDEX</th><th>SEQ</th><th>TAKEN</th><th>OBJECT</th><th>DELIVERED</th><th>HASH</th></tr>${snapshots.join('')}</table>
            <h2>Diff</h2><select id="diff-from">${options}</select> to <select id="diff-to">${options}</select>
            <button id="diff-show">Show</button><pre class="diff" id="diff"></pre>`;
          const to = document.getElementById('diff-to');
          to.selectedIndex = to.options.length - 1;
          document.getElementById('diff-show').onclick = async () => {
            query.set('diff', `${document.getElementById('diff-from').value},${to.value}`);
            document.getElementById('diff').textContent = await request(`/flotilla/v1/snapshots?${query}`).catch(e => e.message);
          };
        }

        async function route() {
          leave.abort();
          leave = new AbortController();
          const [page, ...args] = (location.hash.replace(/^#\//, '') || 'runs').split('/').map(decodeURIComponent);
          for (const link of document.querySelectorAll('nav a')) link.classList.toggle('current', link.id === `nav-${page}` || link.id === `nav-${page}s`);
          main.innerHTML = '<p class="muted">loading</p>';
          const pages = {runs: runsPage, run: runPage, fleet: fleetPage, placements: placementsPage, placement: placementPage};
          try {
            await (pages[page] || runsPage)(...args);
          } catch (error) {
            showError(error);
          }
        }
        window.addEventListener('hashchange', route);
        route();

        """#
}
