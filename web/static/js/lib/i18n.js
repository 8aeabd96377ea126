// @ts-check
// The page's language, and the words of the ES modules in it. Every string a
// user sees is written in English in the code and looked up, by that English,
// in a per-language JSON catalog (web/static/i18n/xx.json) that the page names
// at its hashed URL. English needs no catalog. Plurals follow Intl.PluralRules;
// dates and numbers use `locale` with Intl.
const root = globalThis.document?.documentElement;

/** The page's language: "en", "es" or "de" (from <html lang>). */
export const lang = root?.lang || "en";

/** The BCP 47 tag for Intl: the device's own variant when it speaks the page's
 * language (es-MX dates for a Mexican phone), else the language itself. */
export const locale = (globalThis.navigator?.languages ?? [])
  .find((tag) => tag.split("-")[0].toLowerCase() === lang) ?? lang;

const catalogUrl = /** @type {HTMLMetaElement | null | undefined} */ (
  globalThis.document?.querySelector('meta[name="catalog"]'))?.content;
/** English → a translation, or plural forms by category ("one", "other"...). */
const messages = catalogUrl ? await loadCatalog(catalogUrl) : {};
const plurals = new Intl.PluralRules(lang);

/**
 * @param {string} url
 * @returns {Promise<Record<string, string | Record<string, string>>>}
 */
async function loadCatalog(url) {
  try {
    const response = await fetch(url);
    if (response.ok) return await response.json();
  } catch {
    // Offline with nothing cached: the English words beat an empty screen.
  }
  return {};
}

/** @typedef {Record<string, unknown>} Params */

/**
 * @param {string} text
 * @param {Params} [params]
 */
function fill(text, params) {
  return params ? text.replace(/\{(\w+)\}/g, (all, name) => (name in params ? String(params[name]) : all))
    : text;
}

/**
 * Translate a sentence written in English; `{name}` takes params.name.
 * @param {string} english
 * @param {Params} [params]
 * @returns {string}
 */
export function t(english, params) {
  const translated = messages[english];
  return fill(typeof translated === "string" ? translated : english, params);
}

/**
 * Translate by count: tn(3, "{n} session", "{n} sessions") → "3 sesiones".
 * `n` is filled in, formatted for the locale.
 * @param {number} count
 * @param {string} one
 * @param {string} other
 * @param {Params} [params]
 * @returns {string}
 */
export function tn(count, one, other, params) {
  const forms = messages[other];
  const category = plurals.select(count);
  const chosen = forms && typeof forms === "object" ? forms[category] ?? forms.other
    : (category === "one" ? one : other);
  return fill(chosen, { n: count.toLocaleString(locale), ...params });
}

/**
 * A page's address in this language: "/workout" → "/es/workout".
 * @param {string} path
 * @param {string} [language]
 */
export function pageUrl(path, language = lang) {
  if (language === "en") return path;
  return path === "/" ? `/${language}/` : `/${language}${path}`;
}

/**
 * A path without its language prefix: "/es/workout" → "/workout".
 * @param {string} path
 */
export function barePath(path) {
  const match = /^\/([a-z]{2})(\/.*)?$/.exec(path);
  return match ? match[2] || "/" : path;
}

/** The routine in the page's language (one cached copy per language). */
export const routineUrl = `/api/v1/routine?lang=${lang}`;
