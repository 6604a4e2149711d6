/** The page shell: the bundle renders everything into #app. */
export function pageHtml(basePath: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Shopfloor dashboard</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${basePath}/app.css">
</head>
<body>
<div id="app" data-api="${basePath}/api/snapshot"></div>
<script type="module" src="${basePath}/app.js"></script>
</body>
</html>
`;
}
