/// The console's one page and its style. The page is a frame: `ConsoleScript` fills `#main` from the hash
/// (`#/runs`, `#/run/…`, `#/fleet`, `#/placements`, `#/placement/…`).
enum ConsolePage {
    static let html = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <title>Flotilla console</title>
        <link rel="stylesheet" href="console.css">
        </head>
        <body>
        <header>
        <strong>Flotilla</strong>
        <nav><a href="#/runs" id="nav-runs">Runs</a> <a href="#/fleet" id="nav-fleet">Fleet</a> <a href="#/placements" id="nav-placements">Placements</a></nav>
        </header>
        <main id="main"></main>
        <script src="console.js"></script>
        </body>
        </html>

        """

    static let css = """
        body { font-family: sans-serif; margin: 0; color: #212121; background: #fafafa; }
        header { display: flex; gap: 24px; align-items: center; padding: 10px 20px; background: #263238; color: #fff; }
        header a { color: #b0bec5; margin-right: 14px; text-decoration: none; }
        header a.current { color: #fff; border-bottom: 2px solid #fff; }
        main { padding: 16px 20px; }
        h1 { font-size: 20px; margin: 4px 0 12px; }
        h2 { font-size: 16px; margin: 20px 0 8px; }
        table { border-collapse: collapse; background: #fff; }
        th, td { text-align: left; padding: 4px 12px; border-bottom: 1px solid #e0e0e0; font-size: 13px; vertical-align: top; }
        th { background: #eceff1; }
        .chip { display: inline-block; padding: 1px 6px; margin: 1px 2px; border-radius: 8px; background: #e3f2fd; font-size: 12px; }
        .True { background: #c8e6c9; } .False { background: #ffcdd2; } .Unknown { background: #fff9c4; }
        #timeline svg { border: 1px solid #e0e0e0; max-width: 100%; height: auto; }
        .error { color: #b71c1c; white-space: pre-wrap; }
        .muted { color: #757575; font-size: 12px; }
        pre.diff { background: #fff; border: 1px solid #e0e0e0; padding: 8px; font-size: 12px; }
        #replay input[type=range] { width: 600px; vertical-align: middle; }
        button { cursor: pointer; }

        """
}
