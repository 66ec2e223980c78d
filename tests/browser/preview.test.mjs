// The preview page in headless Chromium: fill the Send Fax form, send it,
// and see the page images and the TIFF download appear.
// Run by tests/service.rs (preview_page_in_chromium), which starts the
// server and passes FAXRENDER_URL and FAXRENDER_FIXTURE.
import { chromium } from "playwright-core";
import assert from "node:assert/strict";

const url = process.env.FAXRENDER_URL;
const fixture = process.env.FAXRENDER_FIXTURE;
assert.ok(url && fixture, "FAXRENDER_URL and FAXRENDER_FIXTURE must be set");

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox"],
});
try {
  const page = await browser.newPage();
  const external = [];
  page.on("request", (r) => {
    if (!r.url().startsWith(url.replace(/\/$/, "")) && !r.url().startsWith("data:") && !r.url().startsWith("blob:")) {
      external.push(r.url());
    }
  });
  const consoleErrors = [];
  page.on("console", (m) => m.type() === "error" && consoleErrors.push(m.text()));
  await page.goto(url);

  // Cover: switching to Compose shows the text box, back to None hides it.
  await page.check("input[name=cover][value=compose]");
  assert.ok(await page.isVisible("#cover_text"));
  await page.check("input[name=cover][value=none]");
  assert.ok(!(await page.isVisible("#cover_text")));

  await page.setInputFiles("#documents", fixture);
  await page.fill("#to", "+1 212 555 0123");
  await page.fill("#caller_id", "+1 646 555 0199");
  await page.selectOption("#resolution", "standard");
  await page.click("#preview");

  // One page image, decoded by the browser, at the fax width.
  await page.waitForSelector("#pages img.page", { timeout: 30000 });
  const sizes = await page.$$eval("#pages img.page", (imgs) =>
    Promise.all(imgs.map((img) => img.decode().then(() => [img.naturalWidth, img.naturalHeight]))),
  );
  assert.equal(sizes.length, 1, `one page expected, got ${JSON.stringify(sizes)}`);
  assert.equal(sizes[0][0], 1728);
  assert.ok(sizes[0][1] > 1078, `aspect-corrected height, got ${sizes[0][1]}`);
  const status = await page.textContent("#status");
  assert.match(status, /^1 page, \d+ bytes/);
  assert.ok(await page.isVisible("#download"), "the TIFF download link is shown");

  // The download is the TIFF itself.
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#download")]);
  const path = await download.path();
  const { readFileSync } = await import("node:fs");
  const head = readFileSync(path).subarray(0, 4).toString("latin1");
  assert.ok(head === "II*\0" || head === "MM\0*", `a TIFF, got ${JSON.stringify(head)}`);

  // A bad value comes back as a readable message, not a broken page.
  await page.check("input[name=cover][value=file]");
  await page.click("#preview");
  await page.waitForSelector("#status.error");
  assert.match(await page.textContent("#status"), /cover_file/);

  assert.deepEqual(external, [], "the page fetched external assets");
  assert.deepEqual(consoleErrors.filter((e) => !e.includes("422")), []);
  console.log("preview page: ok", JSON.stringify(sizes));
} finally {
  await browser.close();
}
