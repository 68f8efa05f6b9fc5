"""The dashboards' stylesheet and their one script (which only asks for the viewer's
time zone once, so dates and times are rendered on the server in it)."""

STYLE = """
*{box-sizing:border-box}
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;padding:16px;
color:#1b1f24;background:#f6f7f9}
header,main{max-width:1400px;margin:0 auto}
h1{font-size:22px;margin:0 0 4px}h2{font-size:16px;margin:0 0 8px;color:#333}
.muted{color:#5c6370}.headline{margin:12px 0 16px}
.tiles{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:10px}
.tile,.card{background:#fff;border-radius:8px;box-shadow:0 1px 2px #0002;min-width:0;
overflow-wrap:anywhere}
.tile{padding:10px 12px;box-shadow:none;border:1px solid #e4e6ea}
.big{font-size:26px;font-weight:600}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,560px),1fr));gap:16px}
.card{padding:14px}.alt{font-size:14px}
.chart svg{display:block;max-width:100%;height:auto}.chart.narrow{display:none}
nav a,.export a{margin-right:10px}
table{border-collapse:collapse;width:100%;font-size:13px}
td,th{text-align:left;padding:3px 6px;border-bottom:1px solid #eee;vertical-align:top}
summary{cursor:pointer;margin:6px 0}
@media (max-width:640px){
body{padding:10px}.chart.wide{display:none}.chart.narrow{display:block}
thead{display:none}table,tbody,tr,td{display:block;width:100%}
tr{padding:4px 0;border-bottom:1px solid #ddd}td{border:0;padding:1px 0}
td::before{content:attr(data-label) ": ";color:#5c6370}
}
"""

TZ_SCRIPT = (
    "(function(){var u=new URL(location.href);if(u.searchParams.has('tz'))return;"
    "var z;try{z=Intl.DateTimeFormat().resolvedOptions().timeZone}catch(e){}"
    "if(z){u.searchParams.set('tz',z);location.replace(u.toString())}})();"
)
