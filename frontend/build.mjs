// Builds src/haven/static/dist from the npm packages: compiled CSS, the JavaScript modules
// and the images each stylesheet refers to. Run by `make` through `npm run build`.
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "src/haven/static/dist");
const modules = join(root, "node_modules");

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const css = sass.compile(join(root, "frontend/haven.scss"), {
  loadPaths: [root, modules, join(root, "frontend")],
  style: "compressed",
  quietDeps: true,
  logger: sass.Logger.silent,
  silenceDeprecations: ["import"],
});
writeFileSync(join(out, "haven.css"), css.css);

const govuk = join(modules, "govuk-frontend/dist/govuk");
const moj = join(modules, "@ministryofjustice/frontend/moj");
cpSync(join(govuk, "govuk-frontend.min.js"), join(out, "govuk/govuk-frontend.min.js"));
cpSync(join(govuk, "assets/images"), join(out, "assets/images"), { recursive: true });
cpSync(join(moj, "moj-frontend.min.js"), join(out, "moj/moj-frontend.min.js"));
cpSync(join(moj, "assets/images"), join(out, "assets/images"), { recursive: true });
console.log(`built ${out}`);
