// Offline intake: forms marked data-offline are kept on this device (IndexedDB) when the server
// does not answer, listed as waiting, and sent through the API when it answers again. Every
// record carries a UUID made here, so sending it twice stores it once on the server.
(function () {
  "use strict";
  const box = document.getElementById("offline-outbox");
  if (!box || !window.indexedDB) return;
  const text = box.dataset;
  const CACHE = "waystation-pages-v1";
  let flushing = false;

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {});
  }

  // Keep this page and what it loads, so it opens again without a connection.
  function keepPage() {
    if (!window.caches || !navigator.onLine || !box.dataset.keep) return;
    const urls = [location.pathname];
    document.querySelectorAll("script[src], link[rel=stylesheet]").forEach((el) => {
      urls.push(el.getAttribute("src") || el.getAttribute("href"));
    });
    caches.open(CACHE).then((cache) => cache.addAll(urls)).catch(() => {});
  }

  function openDb() {
    return new Promise((resolve, reject) => {
      const request = indexedDB.open("waystation-outbox", 1);
      request.onupgradeneeded = () => request.result.createObjectStore("outbox", { keyPath: "uuid" });
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }

  function store(mode, action) {
    return openDb().then((db) => new Promise((resolve, reject) => {
      const tx = db.transaction("outbox", mode);
      const request = action(tx.objectStore("outbox"));
      tx.oncomplete = () => resolve(request ? request.result : undefined);
      tx.onerror = () => reject(tx.error);
    }));
  }
  const allRecords = () => store("readonly", (s) => s.getAll());
  const putRecord = (record) => store("readwrite", (s) => s.put(record));
  const dropRecord = (uuid) => store("readwrite", (s) => s.delete(uuid));

  function csrfToken() {
    const field = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (field) return field.value;
    const match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function stationCode(pk) {
    const pair = (text.stationCodes || "").split(" ").find((p) => p.split("=")[0] === String(pk));
    return pair ? pair.split("=")[1] : "";
  }

  // A date and time typed into the form means the station's time, as the server reads the
  // online form, whatever time zone this device is set to.
  function zoneOffset(zone, at) {
    const parts = {};
    new Intl.DateTimeFormat("en-US", {
      timeZone: zone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", second: "2-digit",
    }).formatToParts(new Date(at)).forEach((p) => { parts[p.type] = p.value; });
    const wall = Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour % 24, +parts.minute, +parts.second);
    return wall - Math.floor(at / 1000) * 1000;
  }

  function iso(local) {
    if (!local) return null;
    const zone = text.timeZone;
    const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?/.exec(local);
    if (!zone || !match) return new Date(local).toISOString();
    const [y, mo, d, h, mi, se] = match.slice(1).map((part) => parseInt(part || "0", 10));
    const wall = Date.UTC(y, mo - 1, d, h, mi, se);
    let at = wall - zoneOffset(zone, wall);
    at = wall - zoneOffset(zone, at);
    return new Date(at).toISOString();
  }

  // The files check's verdicts, when the registrar ran it before the connection went: sent
  // with the member; without any, the server holds the person for the station's review.
  function verdicts(form, prefix) {
    const field = form.elements.namedItem(prefix + "identity_decisions");
    let decoded = {};
    try { decoded = JSON.parse((field && field.value) || "{}"); } catch (error) { decoded = {}; }
    const list = Object.entries(decoded).map(([id, choice]) => ({
      candidate_id: parseInt(id, 10),
      verdict: typeof choice === "string" ? choice : choice.verdict,
    }));
    return list.length ? list : null;
  }

  function personFields(form, prefix) {
    const value = (name) => {
      const field = form.elements.namedItem(prefix + name);
      return field ? field.value.trim() : "";
    };
    const person = {};
    ["family_name_hangul", "given_name_hangul", "family_name_hanzi", "given_name_hanzi",
      "family_name_latin", "given_name_latin", "sex", "birth_date_precision", "place_of_origin",
      "document_number", "education_level", "occupation", "category", "relationship"].forEach((name) => { person[name] = value(name); });
    person.birth_date = value("birth_date") || null;
    person.relationship = person.relationship || null;  // not stated
    const asWritten = form.elements.namedItem(prefix + "document_as_written");
    person.document_as_written = Boolean(asWritten && asWritten.checked);
    person.education_years = parseInt(value("education_years") || "0", 10);
    person.languages = value("languages").split(/[,，]/).map((s) => s.trim()).filter(Boolean);
    return person;
  }

  function householdRecord(form) {
    const uuid = crypto.randomUUID();
    const total = parseInt(form.elements.namedItem("members-TOTAL_FORMS").value, 10);
    const members = [];
    for (let i = 0; i < total; i += 1) {
      const prefix = "members-" + i + "-";
      if (!form.elements.namedItem(prefix + "sex")) continue;
      const member = personFields(form, prefix);
      const checked = verdicts(form, prefix);
      if (checked) member.files_check = checked;
      members.push(member);
    }
    const body = {
      client_uuid: uuid,
      station: stationCode(form.elements.namedItem("station").value),
      crossed_at: iso(form.elements.namedItem("crossed_at").value),
      head_index: parseInt(form.elements.namedItem("head_index").value || "0", 10),
      members: members,
    };
    const names = members.map((m) => (m.family_name_hangul + m.given_name_hangul) || (m.family_name_latin + " " + m.given_name_latin).trim()).join(", ");
    return { uuid: uuid, kind: "household", url: text.householdsUrl, method: "POST", body: body, label: names };
  }

  function crossingRecord(form) {
    const uuid = crypto.randomUUID();
    const personId = parseInt(form.getAttribute("action").match(/\/people\/(\d+)\//)[1], 10);
    const body = {
      client_uuid: uuid,
      person_id: personId,
      station: stationCode(form.elements.namedItem("station").value),
      direction: form.elements.namedItem("direction").value,
      crossed_at: iso(form.elements.namedItem("crossed_at").value) || new Date().toISOString(),
      note: form.elements.namedItem("note").value.trim(),
    };
    return { uuid: uuid, kind: "crossing", url: text.crossingsUrl, method: "POST", body: body, label: document.title };
  }

  function editRecord(form) {
    const uuid = form.elements.namedItem("client_uuid").value;
    const all = personFields(form, "");
    const changes = {};
    // Only the fields the registrar touched: an untouched field is no claim about its value.
    Object.keys(all).forEach((name) => {
      const field = form.elements.namedItem(name);
      const touched = field && (field.type === "checkbox" ? field.checked !== field.defaultChecked : field.value !== field.defaultValue);
      if (touched && !(field.tagName === "SELECT" && !selectChanged(field))) changes[name] = all[name];
    });
    const body = { client_uuid: uuid, version: parseInt(form.elements.namedItem("version").value, 10), changes: changes };
    return { uuid: uuid, kind: "edit", url: text.personsUrl + form.dataset.personId, method: "PATCH", body: body, label: document.title };
  }

  function selectChanged(select) {
    return Array.from(select.options).some((o) => o.selected !== o.defaultSelected);
  }

  const builders = { household: householdRecord, crossing: crossingRecord, edit: editRecord };

  // Does the server answer? navigator.onLine only knows about this device's own link.
  function serverAnswers() {
    if (!navigator.onLine) return Promise.resolve(false);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 4000);
    return fetch("/sw.js", { method: "HEAD", cache: "no-store", signal: controller.signal })
      .then((response) => response.status < 500)
      .catch(() => false)
      .finally(() => clearTimeout(timer));
  }

  function send(record) {
    return fetch(record.url, {
      method: record.method,
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(record.body),
    }).then((response) => {
      if (response.ok) return dropRecord(record.uuid).then(() => "sent");
      if (response.status === 401) return "login";
      if (response.status >= 500) return "later";
      return response.json().catch(() => ({})).then((answer) => {
        // A refused CSRF check means the session changed: log in again, the record waits.
        if (response.status === 403 && /CSRF/.test(answer.detail || "")) return "login";
        if (response.status === 409 && answer.conflict_id) {
          record.status = "conflict";
          record.conflictUrl = text.outboxUrl + "conflicts/" + answer.conflict_id + "/";
          return putRecord(record).then(() => "conflict");
        }
        return refuse(record, answer);
      });
    }, () => "later");
  }

  function refuse(record, answer) {
    const problems = Object.entries(answer.errors || {}).map(([k, v]) => k + ": " + v.join(" "));
    record.status = "refused";
    record.problem = [answer.detail || ""].concat(problems).join(" ");
    return putRecord(record).then(() => "refused");
  }

  function flush() {
    if (flushing) return Promise.resolve();
    flushing = true;
    return allRecords().then((records) => {
      const waiting = records
        .filter((r) => r.status === "waiting" && mine(r))
        .sort((a, b) => a.created.localeCompare(b.created));
      let chain = Promise.resolve("sent");
      waiting.forEach((record) => {
        chain = chain.then((previous) => (previous === "later" || previous === "login" ? previous : send(record)));
      });
      return chain;
    }).then((last) => {
      if (last === "login") status(text.textLogin);
    }).finally(() => { flushing = false; render(); });
  }

  function mine(record) {
    return !record.user || record.user === text.user;
  }

  function status(message) {
    box.querySelector("[data-outbox-status]").textContent = message;
  }

  function render() {
    return allRecords().then((records) => {
      const list = box.querySelector("[data-outbox-list]");
      list.replaceChildren();
      box.querySelector("[data-outbox-count]").textContent = String(records.length);
      box.hidden = records.length === 0 && !box.dataset.always;
      records.sort((a, b) => a.created.localeCompare(b.created)).forEach((record) => {
        const item = document.createElement("li");
        item.dataset.outboxItem = record.kind;
        item.dataset.status = record.status;
        const kind = { household: text.textHousehold, crossing: text.textCrossing, edit: text.textEdit }[record.kind];
        const state = { waiting: text.textWaiting, refused: text.textRefused, conflict: text.textConflict }[record.status];
        if (!mine(record)) {
          // Someone else's record: who typed it and when, not the names in it.
          item.dataset.status = "other-user";
          item.textContent = kind + " · " + new Date(record.created).toLocaleString() + " · " +
            text.textOtherUser.replace("__USER__", record.userName || "?");
          list.append(item);
          return;
        }
        item.textContent = kind + " · " + record.label + " · " + new Date(record.created).toLocaleString() + " · " + state + " ";
        if (record.problem) item.append(record.problem + " ");
        if (record.status === "conflict") {
          const link = document.createElement("a");
          link.href = record.conflictUrl;
          link.textContent = text.textConflict;
          item.append(link, " ");
        }
        if (record.status !== "waiting") {
          const discard = document.createElement("button");
          discard.type = "button";
          discard.className = "secondary";
          discard.textContent = text.textDiscard;
          discard.addEventListener("click", () => {
            if (record.status === "conflict" || window.confirm(text.textConfirmDiscard)) dropRecord(record.uuid).then(render);
          });
          item.append(discard);
        }
        list.append(item);
      });
      if (!records.length) status(box.dataset.always ? text.textEmpty : "");
    });
  }

  function queue(form) {
    const record = builders[form.dataset.offline](form);
    record.created = new Date().toISOString();
    record.status = "waiting";
    // Sent only under the login that typed it: whoever signs in next on this device sends
    // their own records, never someone else's in their name.
    record.user = text.user;
    record.userName = text.userName;
    return putRecord(record).then(() => {
      form.reset();
      const uuidField = form.elements.namedItem("client_uuid");
      if (uuidField) uuidField.defaultValue = uuidField.value = crypto.randomUUID();
      status(text.textSaved);
      return render();
    });
  }

  document.querySelectorAll("form[data-offline], form[action$='/crossing/']").forEach((form) => {
    if (!form.dataset.offline) form.dataset.offline = "crossing";
    form.addEventListener("submit", (event) => {
      if (form.dataset.sendingNatively) return;
      event.preventDefault();
      if (!form.reportValidity()) return;
      serverAnswers().then((up) => {
        if (up) {
          form.dataset.sendingNatively = "1";
          form.submit();
        } else {
          queue(form);
        }
      });
    });
  });

  if (location.pathname === text.outboxUrl) box.dataset.always = "1";
  window.addEventListener("online", flush);
  setInterval(flush, 15000);
  keepPage();
  render().then(flush);
})();
