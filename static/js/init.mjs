import { initAll } from "/static/govuk/govuk-frontend.min.js";
import { initAll as initMojAll } from "/static/moj/all.bundle.mjs";

initAll();
initMojAll();
