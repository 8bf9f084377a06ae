/*
 * A consent banner that asks again when the policy changes: vanilla-cookieconsent, configured
 * from what policygen publishes for one reader, api/<policy>/<region>/<language>.json (SPEC §5).
 *
 * - `revision` is the reader's region's `consent.revision`: it grows only with a material
 *   change to that region's text, so a typo fix, another region's change or another language
 *   never asks again, and a material change always does.
 * - The banner links to `current.url`, the text in force in the reader's language.
 * - Consent records which text the reader agreed to (revision id and SHA-256 of its
 *   source.md) in the consent cookie's `data`.
 *
 * Without the answer the banner stays away: in opt-in mode nothing optional runs without consent.
 *
 * When it has decided, <html data-consent> says "valid" (consent stands), "asked" (the banner
 * is shown) or "unavailable" (no answer, no text in force): a hook for styles and tests.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  // Only a demonstration page (data-from-query) lets ?region= and ?lang= choose: a real site
  // writes the reader's region into data-region from its server or CDN (see README.md).
  var query = new URLSearchParams("fromQuery" in script.dataset ? window.location.search : "");
  var reader = {
    policy: script.dataset.policy || "privacy",
    region: query.get("region") || script.dataset.region || "global",
    language: query.get("lang") || script.dataset.language || document.documentElement.lang || "en",
  };
  var api = new URL(script.dataset.api || "api/", document.baseURI);
  var answerUrl = new URL(
    [reader.policy, reader.region, reader.language].map(encodeURIComponent).join("/") + ".json",
    api
  );

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function recordConsent(answer) {
    window.CookieConsent.setCookieData({
      mode: "overwrite",
      value: {
        policy: answer.policy,
        region: answer.region,
        language: answer.current.language,
        revision: answer.current.id,
        sha256: answer.current.sha256,
      },
    });
  }

  function texts(answer) {
    var current = answer.current;
    var link = '<a href="' + escapeHtml(current.url) + '" hreflang="' + escapeHtml(current.language) +
      '">' + escapeHtml(current.title) + "</a>";
    return {
      consentModal: {
        title: "Cookies on this site",
        description: "We use cookies that the site needs, and, if you agree, cookies that " +
          "measure visits. {{revisionMessage}}",
        revisionMessage: "Our privacy policy has changed since you last chose" +
          (current.summary ? ": " + escapeHtml(current.summary) : "."),
        acceptAllBtn: "Accept all",
        acceptNecessaryBtn: "Reject all",
        showPreferencesBtn: "Manage preferences",
        footer: link,
      },
      preferencesModal: {
        title: "Cookie preferences",
        acceptAllBtn: "Accept all",
        acceptNecessaryBtn: "Reject all",
        savePreferencesBtn: "Save preferences",
        closeIconLabel: "Close",
        sections: [
          { title: "Your choices", description: "Read the " + link + "." },
          { title: "Needed by the site", description: "Sign-in and your cookie choices.",
            linkedCategory: "necessary" },
          { title: "Visit statistics", description: "Counts visits, without your name.",
            linkedCategory: "analytics" },
        ],
      },
    };
  }

  function settle(state) {
    document.documentElement.setAttribute("data-consent", state);
  }

  function start(answer) {
    if (!answer.current) {
      settle("unavailable"); // no text in force yet: nothing to agree to
      return;
    }
    window.CookieConsent.run({
      revision: answer.consent.revision,
      categories: {
        necessary: { enabled: true, readOnly: true },
        analytics: {},
      },
      language: { default: "en", translations: { en: texts(answer) } },
      onFirstConsent: function () { recordConsent(answer); },
      onChange: function () { recordConsent(answer); },
    }).then(function () {
      settle(window.CookieConsent.validConsent() ? "valid" : "asked");
    });
  }

  // no-cache: the answer changes with every release of the policies.
  fetch(answerUrl, { cache: "no-cache" })
    .then(function (response) {
      if (!response.ok) {
        throw new Error(answerUrl + ": HTTP " + response.status);
      }
      return response.json();
    })
    .then(start)
    .catch(function (error) {
      settle("unavailable");
      console.error("consent banner: " + error.message);
    });
})();
