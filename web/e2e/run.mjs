// End-to-end test of the web app against the real embedded application, driven in Debian's Chromium by
// playwright-core (no browser download). Starts `java -jar geocrop-embedded-*-all.jar serve` on a free port
// with a fresh GEOCROP_HOME, runs the flows a visitor would, saves screenshots to web/target/e2e/, and ends
// with one line "N passed, N failed" (exit 1 when anything failed).
//
// Settings (environment): GEOCROP_E2E_JAR (default: apps/embedded/target/geocrop-embedded-*-all.jar),
// GEOCROP_JAVA_HOME or JAVA_HOME (JDK 25), CHROMIUM (default /usr/bin/chromium), GEOCROP_E2E_BASE_URL (test an
// already running server instead of starting one), GEOCROP_E2E_JOB_TIMEOUT_S (default 900: how long the crop
// map may take), GEOCROP_E2E_STALL_S (default 240: a job whose version does not move for this long has stalled).
import { chromium } from "playwright-core";
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, createWriteStream, copyFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const WEB = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const ROOT = resolve(WEB, "..");
const OUT = join(WEB, "target", "e2e");
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const JOB_TIMEOUT_MS = 1000 * Number(process.env.GEOCROP_E2E_JOB_TIMEOUT_S ?? 900);
const STALL_MS = 1000 * Number(process.env.GEOCROP_E2E_STALL_S ?? 240);
// The AOI every flow uses: farmland north-west of Harare, well inside the coverage box.
const AOI = { lat: -17.6, lon: 30.9, radius: 1000, year: 2023 };

mkdirSync(OUT, { recursive: true });
const log = (...a) => console.log("[e2e]", ...a);

function findJar() {
  if (process.env.GEOCROP_E2E_JAR) return process.env.GEOCROP_E2E_JAR;
  const dir = join(ROOT, "apps", "embedded", "target");
  const jar = existsSync(dir) ? readdirSync(dir).find((f) => /^geocrop-embedded-.*-all\.jar$/.test(f)) : undefined;
  if (!jar) {
    throw new Error(`no embedded jar in ${dir}: build it first (./mvnw -B -pl apps/embedded -am install -DskipTests)`);
  }
  return join(dir, jar);
}

function findJava() {
  for (const home of [process.env.GEOCROP_JAVA_HOME, process.env.JAVA_HOME, "/usr/lib/jvm/temurin-25-jdk-amd64"]) {
    if (home && existsSync(join(home, "bin", "java"))) return join(home, "bin", "java");
  }
  return "java";
}

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.on("error", fail);
    s.listen(0, "127.0.0.1", () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (s.address());
      s.close(() => ok(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Starts the embedded app; resolves with its base URL and a stop function. */
async function startServer() {
  if (process.env.GEOCROP_E2E_BASE_URL) {
    return { base: process.env.GEOCROP_E2E_BASE_URL.replace(/\/$/, ""), stop: async () => {}, logFile: undefined };
  }
  const jar = findJar();
  const port = await freePort();
  const home = mkdtempSync(join(tmpdir(), "geocrop-e2e-"));
  const logFile = join(home, "server.log");
  const out = createWriteStream(logFile);
  log(`starting ${jar} on port ${port} (GEOCROP_HOME=${home})`);
  const child = spawn(findJava(), ["--enable-native-access=ALL-UNNAMED", "-jar", jar, "serve", "--port", String(port), "--home", home], {
    // A low rate limit, so the rate-limit flow needs few requests (every POST /jobs counts, valid or not).
    // The embedded S3 endpoint on a free port too: several builds may share this machine.
    env: { ...process.env, GEOCROP_HOME: home, PORT: String(port), GEOCROP_RATE_LIMIT: process.env.GEOCROP_RATE_LIMIT ?? "6",
      GEOCROP_EMBEDDED_S3_PORT: "0" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout.pipe(out);
  child.stderr.pipe(out);
  let exited = false;
  child.on("exit", () => (exited = true));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 180_000;
  while (true) {
    if (exited) throw new Error(`the server exited during start-up; see ${logFile}`);
    try {
      const r = await fetch(`${base}/health`);
      if (r.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the server did not answer /health within 180 s; see ${logFile}`);
    await sleep(250);
  }
  log(`server up at ${base}`);
  const stop = async () => {
    if (!exited) {
      child.kill("SIGTERM");
      for (let i = 0; i < 40 && !exited; i++) await sleep(250);
      if (!exited) child.kill("SIGKILL");
    }
    out.end();
    try {
      copyFileSync(logFile, join(OUT, "server.log"));
    } catch {
      // nothing to keep
    }
    rmSync(home, { recursive: true, force: true });
  };
  return { base, stop, logFile, jar, home };
}

/**
 * Feature GeoTIFFs to drop on the page, written by the jar's own `features` command (the same simulated imagery
 * as the server's), into a folder of ours. Resolves with the first tile's path.
 */
async function writeFeatureTile(jar, home) {
  const dir = mkdtempSync(join(tmpdir(), "geocrop-e2e-features-"));
  const cache = process.env.GEOCROP_IMAGERY_SIMULATION_DIR ?? join(home, "imagery");
  const args = ["--enable-native-access=ALL-UNNAMED", "-Xmx1g", "-jar", jar, "features", "--lon", String(AOI.lon), "--lat",
    String(AOI.lat), "--radius-m", "300", "--year", String(AOI.year), "--out", dir, "--imagery-cache", cache];
  const child = spawn(findJava(), args, { env: { ...process.env, GEOCROP_HOME: home }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  const code = await new Promise((ok) => child.on("exit", ok));
  if (code !== 0) throw new Error(`geocrop features exited ${code}: ${output}`);
  const tile = readdirSync(dir).filter((f) => f.endsWith(".tif")).sort()[0];
  if (!tile) throw new Error(`geocrop features wrote no tile: ${output}`);
  return { file: join(dir, tile), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

/** Waits for `probe` to return a truthy value; fails with `what` and the last value seen. */
async function waitFor(what, probe, timeoutMs, intervalMs = 250) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    last = await probe();
    if (last) return last;
    await sleep(intervalMs);
  }
  throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}${last === undefined ? "" : ` (last: ${JSON.stringify(last)})`}`);
}

const results = [];
async function test(name, fn) {
  const t0 = Date.now();
  try {
    await fn();
    results.push({ name, ok: true });
    log(`✓ ${name} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    results.push({ name, ok: false, error: message });
    log(`✗ ${name}: ${message}`);
  }
}

async function main() {
  let server;
  let browser;
  try {
    server = await startServer();
    const base = server.base;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      // Debian's Chromium in a container: no sandbox, no GPU, and no background traffic (it has no network).
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
    });
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    const page = await context.newPage();
    const pageErrors = [];
    page.on("pageerror", (e) => pageErrors.push(e.message));
    page.on("console", (m) => {
      if (m.type() === "error" && !/Failed to load resource/.test(m.text())) pageErrors.push(m.text());
    });
    const tileResponses = [];
    page.on("response", (r) => {
      if (r.url().includes("/tiles/")) tileResponses.push({ url: r.url(), status: r.status(), type: r.headers()["content-type"] ?? "" });
    });
    let jobId;

    await test("the map page loads with Zimbabwe drawn and the season window shown", async () => {
      await page.goto(`${base}/`);
      await page.locator("[data-testid=map] canvas").first().waitFor({ timeout: 30_000 });
      const seasons = await page.locator("[data-testid=year] option").allTextContents();
      assert(seasons.length >= 7, `season years offered: ${seasons.length}`);
      assert(seasons.some((s) => s.startsWith("2017")), "2017 is offered");
      await page.selectOption("[data-testid=year]", String(AOI.year));
      const window = await page.locator("[data-testid=season-window]").textContent();
      assert(window?.includes(`Sep ${AOI.year} – May ${AOI.year + 1}`), `season window text: ${window}`);
    });

    await test("bad input: the server's problems are shown in plain words, naming the fields", async () => {
      await page.fill("[data-testid=lat]", "-17.83");
      await page.fill("[data-testid=lon]", "34.5");
      await page.fill("[data-testid=radius]", "20000");
      assert(await page.locator("[data-testid=coverage-hint]").isVisible(), "the coverage hint shows before submitting");
      const error = page.locator("[data-testid=error]");
      // A radius out of range: 422, the radius named.
      let answer = page.waitForResponse((r) => r.url().endsWith("/jobs") && r.request().method() === "POST");
      await page.click("[data-testid=submit]");
      let res = await answer;
      assert(res.status() === 422, `POST /jobs answered ${res.status()}`);
      await error.waitFor({ timeout: 10_000 });
      let text = (await error.textContent()) ?? "";
      assert(/Please check the request/.test(text), `error headline: ${text}`);
      assert(/Radius: must be between 100 and 10000, got 20000/.test(text), `radius named: ${text}`);
      await page.screenshot({ path: join(OUT, "bad-input.png") });
      // A centre outside Zimbabwe: 422, the position named.
      await page.fill("[data-testid=radius]", "1000");
      answer = page.waitForResponse((r) => r.url().endsWith("/jobs") && r.request().method() === "POST");
      await page.click("[data-testid=submit]");
      res = await answer;
      assert(res.status() === 422, `POST /jobs answered ${res.status()}`);
      await error.waitFor({ timeout: 10_000 });
      text = (await error.textContent()) ?? "";
      assert(/Longitude|Latitude/.test(text), `position named: ${text}`);
      log(`bad input shown as: ${text.replace(/Dismiss$/, "")}`);
      assert(!(await page.locator("[data-testid=job]").isVisible()), "no job was opened");
    });

    await test("picking an AOI on the map draws it and loads the Dynamic World baseline tiles", async () => {
      // A fresh page shows the whole country; click its middle (central Zimbabwe), then type the exact centre.
      await page.goto(`${base}/`);
      await page.locator("[data-testid=map] canvas").first().waitFor({ timeout: 30_000 });
      await page.selectOption("[data-testid=year]", String(AOI.year));
      await page.fill("[data-testid=radius]", String(AOI.radius));
      const box = await page.locator("[data-testid=map]").boundingBox();
      await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
      await waitFor("the click to set the centre", async () => (await page.inputValue("[data-testid=lat]")) !== "", 5_000);
      const clickedLat = Number(await page.inputValue("[data-testid=lat]"));
      const clickedLon = Number(await page.inputValue("[data-testid=lon]"));
      assert(clickedLat < -15.6 && clickedLat > -22.5 && clickedLon > 25.2 && clickedLon < 33.1, `clicked ${clickedLat}, ${clickedLon}`);
      const status = page.locator("[data-testid=baseline-status]");
      await waitFor("the baseline around the clicked centre", async () => (await status.getAttribute("data-state")) === "ready"
        && (await status.getAttribute("data-aoi")) === `${clickedLat},${clickedLon},${AOI.radius}`, 120_000, 500);
      // Typed coordinates move the map there (on leaving the field) and prepare the baseline around them.
      const before = tileResponses.length;
      await page.fill("[data-testid=lat]", String(AOI.lat));
      await page.fill("[data-testid=lon]", String(AOI.lon));
      await page.press("[data-testid=lon]", "Tab");
      await waitFor("the baseline around the typed centre", async () => (await status.getAttribute("data-state")) === "ready"
        && (await status.getAttribute("data-aoi")) === `${AOI.lat},${AOI.lon},${AOI.radius}`, 120_000, 500);
      const pngs = () => tileResponses.slice(before).filter((r) => r.url.includes(`/tiles/dw-${AOI.year}/`) && /\.png(\?|$)/.test(r.url) && r.status === 200);
      await waitFor("baseline PNG tiles around the typed centre", async () => pngs().length > 0 && Number(await status.getAttribute("data-baseline-loaded")) > 0, 60_000, 500);
      await page.waitForLoadState("networkidle").catch(() => undefined);
      const dw = pngs();
      assert(dw.length > 0, `baseline PNG tiles answered 200: ${JSON.stringify(tileResponses.slice(-5))}`);
      assert(dw.every((r) => r.type.startsWith("image/png")), "baseline tiles are PNG");
      await page.locator("[data-testid=baseline-legend]").waitFor({ timeout: 10_000 });
      await page.waitForTimeout(500);
      await page.screenshot({ path: join(OUT, "baseline.png") });
    });

    await test("submitting starts a job whose progress shows live", async () => {
      const answer = page.waitForResponse((r) => r.url().endsWith("/jobs") && r.request().method() === "POST");
      await page.click("[data-testid=submit]");
      const res = await answer;
      assert(res.status() === 202 || res.status() === 200, `POST /jobs answered ${res.status()}`);
      jobId = (await res.json()).id;
      const panel = page.locator("[data-testid=job]");
      await panel.waitFor({ timeout: 10_000 });
      assert(new URL(page.url()).searchParams.get("job") === jobId, `the URL names the job: ${page.url()}`);
      // Progress moves past "queued" (extract-features plans the tiles) and says what it is doing.
      await waitFor("the job to leave the queue", async () => {
        const state = await panel.getAttribute("data-state");
        return state && state !== "queued" ? state : false;
      }, 120_000, 500);
      const text = await page.locator("[data-testid=progress-text]").textContent().catch(() => "");
      const state = await panel.getAttribute("data-state");
      assert(state === "completed" || /tiles|Assembling|Searching/.test(text ?? ""), `progress text: ${text}`);
      const recent = await page.locator("[data-testid=recent-jobs]").textContent();
      assert(recent?.includes(String(AOI.lat)) || recent?.includes(AOI.lat.toFixed(4)), `recent jobs list the AOI: ${recent}`);
      await page.screenshot({ path: join(OUT, "progress.png") });
    });

    await test("the same AOI again shows the existing job at once", async () => {
      await page.click("[data-testid=submit]");
      const note = page.locator("[data-testid=job-note]");
      await note.waitFor({ timeout: 5_000 });
      assert(/mapped before/.test((await note.textContent()) ?? ""), "the note says it was mapped before");
      assert(new URL(page.url()).searchParams.get("job") === jobId, "still the same job");
      // And the server agrees: an identical request answers 200 with the same job.
      const res = await fetch(`${base}/jobs`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ lon: AOI.lon, lat: AOI.lat, radius_m: AOI.radius, year: AOI.year }),
      });
      assert(res.status === 200, `identical POST answered ${res.status}`);
      assert((await res.json()).id === jobId, "identical POST gives the same job");
    });

    await test("the crop map arrives: layer tiles, legend, area table in hectares, COG link", async () => {
      assert(jobId, "a job was submitted");
      const panel = page.locator("[data-testid=job]");
      let lastVersion = -1;
      let movedAt = Date.now();
      await waitFor("the job to complete", async () => {
        const job = await (await fetch(`${base}/jobs/${jobId}`)).json();
        if (job.version !== lastVersion) {
          lastVersion = job.version;
          movedAt = Date.now();
        }
        if (job.state === "failed") throw new Error(`the job failed: ${job.failure_reason}`);
        if (Date.now() - movedAt > STALL_MS) {
          throw new Error(`the job stalled in state ${job.state} (tiles ${JSON.stringify(job.tiles)}) for ${STALL_MS / 1000} s`);
        }
        return job.state === "completed" && (await panel.getAttribute("data-state")) === "completed";
      }, JOB_TIMEOUT_MS, 2_000);
      await page.locator("[data-testid=completed]").waitFor({ timeout: 10_000 });
      await waitFor("crop layer tiles", async () => tileResponses.some((r) => r.url.includes(`/tiles/job-${jobId}-class/`) && /\.png(\?|$)/.test(r.url) && r.status === 200), 60_000);
      await page.locator("[data-testid=crop-legend]").waitFor({ timeout: 10_000 });
      const rows = page.locator("[data-testid=area-table] tbody tr");
      await rows.first().waitFor({ timeout: 30_000 });
      const table = await rows.allTextContents();
      assert(table.length > 0, "the area table has rows");
      assert(table.every((r) => / ha/.test(r)), `rows in hectares: ${table.join(" | ")}`);
      log(`area table: ${table.join(" | ")}`);
      const total = await page.locator("[data-testid=area-table] tfoot").textContent();
      log(`total: ${total}`);
      const href = await page.locator("[data-testid=download-cog]").getAttribute("href");
      assert(href?.endsWith(`/jobs/${jobId}/results/cog`), `COG link: ${href}`);
      const cog = await fetch(new URL(href, base));
      assert(cog.ok, `the COG downloads: ${cog.status}`);
      const bytes = new Uint8Array(await cog.arrayBuffer());
      assert(bytes[0] === 0x49 && bytes[1] === 0x49, "the download is a little-endian TIFF");
      await page.waitForTimeout(800);
      await page.screenshot({ path: join(OUT, "crop-map.png") });
      await page.click("[data-testid=confidence-toggle]");
      await waitFor("confidence tiles", async () => tileResponses.some((r) => r.url.includes(`/tiles/job-${jobId}-confidence/`) && /\.png(\?|$)/.test(r.url) && r.status === 200), 30_000);
      await page.waitForTimeout(500);
      await page.screenshot({ path: join(OUT, "confidence.png") });
    });

    await test("a feature GeoTIFF dropped on the page is scored: the map, legend and area table show it", async () => {
      assert(server.jar, "the server was started from a jar (its features command writes the tile)");
      const features = await writeFeatureTile(server.jar, server.home);
      try {
        await page.goto(`${base}/`);
        await page.locator("[data-testid=map] canvas").first().waitFor({ timeout: 30_000 });
        const upload = page.locator("[data-testid=upload]");
        await upload.scrollIntoViewIfNeeded();
        // A drop and the file picker end in the same input; the picker is what a test can drive.
        const answer = page.waitForResponse((r) => r.url().includes("/uploads/") && r.request().method() === "PUT", { timeout: 120_000 });
        await page.setInputFiles("[data-testid=upload-input]", features.file);
        const put = await answer;
        assert(put.status() === 202, `PUT /uploads answered ${put.status()}`);
        await waitFor("the upload to be scored", async () => (await upload.getAttribute("data-state")) === "scored"
          || ((await upload.getAttribute("data-state")) === "failed" ? Promise.reject(new Error(await upload.textContent())) : false), 180_000, 500);
        const layer = await page.locator("[data-testid=upload-result]").getAttribute("data-testid");
        assert(layer, "the result is shown");
        await waitFor("the upload's crop tiles on the map", async () => tileResponses.some((r) => /\/tiles\/upload-[a-z0-9-]+-class\//.test(r.url) && /\.png(\?|$)/.test(r.url) && r.status === 200), 60_000);
        await page.locator("[data-testid=upload-legend]").waitFor({ timeout: 10_000 });
        const rows = await page.locator("[data-testid=upload-result] [data-testid=area-table] tbody tr").allTextContents();
        assert(rows.length > 0 && rows.every((r) => / ha/.test(r)), `upload area rows: ${rows.join(" | ")}`);
        log(`upload areas: ${rows.join(" | ")}`);
        const href = await page.locator("[data-testid=upload-download]").getAttribute("href");
        const cog = await fetch(new URL(href, base));
        assert(cog.ok && (await cog.arrayBuffer()).byteLength > 1000, `the result downloads: ${cog.status}`);
        await page.waitForTimeout(800);
        await page.screenshot({ path: join(OUT, "upload-scored.png") });
        await upload.screenshot({ path: join(OUT, "upload-panel.png") });
      } finally {
        features.cleanup();
      }
    });

    await test("a file that cannot be scored shows the reason from its .error.json", async () => {
      const upload = page.locator("[data-testid=upload]");
      await page.setInputFiles("[data-testid=upload-input]", { name: "field-notes.tif", mimeType: "image/tiff", buffer: Buffer.from("these are not features") });
      await waitFor("the upload to fail", async () => (await upload.getAttribute("data-state")) === "failed", 120_000, 500);
      const text = (await page.locator("[data-testid=upload-error]").textContent()) ?? "";
      assert(/field-notes\.tif cannot be scored: not a feature GeoTIFF GeoCrop can score/.test(text), `error: ${text}`);
      assert(/not a TIFF file/.test(text), `the reason: ${text}`);
      await upload.screenshot({ path: join(OUT, "upload-error.png") });
    });

    await test("on a phone (390 x 844, touch): one-line header, map first, legend folded; tap, submit, result", async () => {
      const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, hasTouch: true, isMobile: true });
      const p = await phone.newPage();
      p.on("pageerror", (e) => pageErrors.push(`phone: ${e.message}`));
      try {
        await p.goto(`${base}/`);
        await p.locator("[data-testid=map] canvas").first().waitFor({ timeout: 30_000 });
        const header = await p.locator("header").boundingBox();
        assert(header && header.height <= 48, `the header keeps one line: ${JSON.stringify(header)}`);
        const map = await p.locator("[data-testid=map]").boundingBox();
        assert(map && map.y <= header.height + 1 && map.height >= 0.8 * (844 - header.height - 60), `the map fills the first screen: ${JSON.stringify(map)}`);
        const lat = await p.locator("[data-testid=lat]").boundingBox();
        assert(lat && lat.y >= map.y + map.height, `the form follows the map: ${JSON.stringify(lat)}`);
        await p.selectOption("[data-testid=year]", String(AOI.year));
        await p.locator("[data-testid=baseline-legend-box]").waitFor({ timeout: 60_000 });
        assert(!(await p.locator("[data-testid=baseline-legend-box]").evaluate((d) => d.open)), "the legend starts folded");
        await p.screenshot({ path: join(OUT, "phone-map.png") });
        // Touch to set the centre.
        await p.touchscreen.tap(map.x + map.width / 2, map.y + map.height / 2);
        await waitFor("the tap to set the centre", async () => (await p.inputValue("[data-testid=lat]")) !== "", 5_000);
        const tappedLat = Number(await p.inputValue("[data-testid=lat]"));
        assert(tappedLat < -15.6 && tappedLat > -22.5, `tapped ${tappedLat}`);
        await p.waitForTimeout(800);
        await p.screenshot({ path: join(OUT, "phone-picked.png") });
        // The mapped AOI again: the finished job opens with its crop map.
        await p.fill("[data-testid=lat]", String(AOI.lat));
        await p.fill("[data-testid=lon]", String(AOI.lon));
        await p.fill("[data-testid=radius]", String(AOI.radius));
        await p.locator("[data-testid=submit]").tap();
        const panel = p.locator("[data-testid=job]");
        await panel.waitFor({ timeout: 30_000 });
        await waitFor("the job's crop map", async () => (await panel.getAttribute("data-state")) === "completed", 60_000, 500);
        await p.locator("[data-testid=crop-legend]").waitFor({ timeout: 20_000 });
        await p.locator("[data-testid=area-table] tbody tr").first().waitFor({ timeout: 30_000 });
        await p.evaluate(() => window.scrollTo(0, 0));
        await p.waitForTimeout(1000);
        await p.screenshot({ path: join(OUT, "phone-result.png") });
        await p.screenshot({ path: join(OUT, "phone-result-full.png"), fullPage: true });
        const width = await p.evaluate(() => document.documentElement.scrollWidth);
        assert(width <= 390, `nothing wider than the phone: ${width}`);
      } finally {
        await phone.close();
      }
    });

    await test("How it works: the architecture, the live health of each function, the model", async () => {
      await page.click("[data-testid=nav-how]");
      await page.locator("[data-testid=architecture]").waitFor({ timeout: 10_000 });
      await waitFor("the health of submit-job", async () =>
        (await page.locator("[data-function=submit-job] .status").textContent()) === "up", 20_000, 500);
      const modelShown = page.locator("[data-testid=model-card], [data-testid=no-model]");
      await modelShown.first().waitFor({ timeout: 10_000 });
      await page.screenshot({ path: join(OUT, "how-it-works.png"), fullPage: true });
      // A deep link to the page works too: the server falls back to index.html.
      await page.goto(`${base}/how-it-works`);
      await page.locator("[data-testid=architecture]").waitFor({ timeout: 10_000 });
    });

    await test("an unknown job in the URL is said plainly", async () => {
      await page.goto(`${base}/?job=00000000-0000-0000-0000-000000000000`);
      const error = page.locator("[data-testid=error]");
      await error.waitFor({ timeout: 10_000 });
      assert(/There is no job/.test((await error.textContent()) ?? ""), "says there is no such job");
    });

    await test("rate limited: the wait is shown and the submit button counts it down", async () => {
      await page.goto(`${base}/`);
      await page.locator("[data-testid=map] canvas").first().waitFor({ timeout: 30_000 });
      await page.fill("[data-testid=lat]", "-17.83");
      await page.fill("[data-testid=lon]", "31.05");
      await page.fill("[data-testid=radius]", "99999");
      let status = 0;
      for (let i = 0; i < 40 && status !== 429; i++) {
        const answer = page.waitForResponse((r) => r.url().endsWith("/jobs") && r.request().method() === "POST");
        await page.click("[data-testid=submit]");
        status = (await answer).status();
        assert(status === 422 || status === 429, `POST /jobs answered ${status}`);
      }
      assert(status === 429, "the rate limit was reached");
      const text = (await page.locator("[data-testid=error]").textContent()) ?? "";
      assert(/Too many submissions from this address\. Please wait \d+ s/.test(text), `rate-limit message: ${text}`);
      const button = page.locator("[data-testid=submit]");
      assert(await button.isDisabled(), "submit is disabled while waiting");
      assert(/^Wait \d+ s$/.test(((await button.textContent()) ?? "").trim()), `button: ${await button.textContent()}`);
      await page.screenshot({ path: join(OUT, "rate-limited.png") });
    });

    await test("no script errors on the page", async () => {
      assert(pageErrors.length === 0, pageErrors.join("\n"));
    });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    results.push({ name: "set-up", ok: false, error: message });
    log(`✗ set-up: ${message}`);
  } finally {
    await browser?.close().catch(() => undefined);
    await server?.stop().catch(() => undefined);
  }
  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  log(`screenshots and server log: ${OUT}`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}

await main();
