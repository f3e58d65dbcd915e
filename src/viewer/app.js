// The live transcript viewer: picks a contact, shows its segments as a conversation, live through the push API
// (polling the list operation when push is not available), Raw or Redacted as the caller's policy allows. A voice
// contact is a live call: its words as they are spoken (partial transcripts), each replaced by its final transcript.
import { presign, signedHeaders } from "./sigv4.js";
import { OpenTurns, place } from "./voice.js";

const ALL_TYPES = ["Transcript", "Categories", "Issues", "Event", "Attachments", "PostContactSummary", "ExtractedInformation"];
const POLL_MS = 1000;
const V1 = "ListRealtimeContactAnalysisSegments"; // a voice subscription's Operation
const $ = (selector) => document.querySelector(selector);

// ---------------------------------------------------------------- settings

const defaults = () => ({
  apiUrl: location.origin,
  liveUrl: location.origin.replace(/^http/, "ws") + "/live",
  region: "us-east-1",
  accessKeyId: "",
  secretAccessKey: "",
  sessionToken: "",
});

function loadSettings() {
  try {
    return { ...defaults(), ...JSON.parse(localStorage.getItem("rtca.viewer") || "{}") };
  } catch {
    return defaults();
  }
}

let settings = loadSettings();
const credentials = () => (settings.accessKeyId && settings.secretAccessKey
  ? { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey, sessionToken: settings.sessionToken }
  : null);

// ---------------------------------------------------------------- the list operations

class ApiError extends Error {
  constructor(type, message, status) {
    super(message);
    this.type = type;
    this.status = status;
  }
}

async function call(path, body) {
  const url = settings.apiUrl.replace(/\/$/, "") + path;
  const text = JSON.stringify(body);
  const headers = { "Content-Type": "application/json" };
  if (credentials()) Object.assign(headers, await signedHeaders({ method: "POST", url, body: text, region: settings.region, credentials: credentials() }));
  const response = await fetch(url, { method: "POST", headers, body: text });
  const json = await response.json().catch(() => ({}));
  if (!response.ok) {
    const type = response.headers.get("X-Amzn-ErrorType") || json.__type || "Error";
    throw new ApiError(type.split(":")[0], json.Message || json.message || response.statusText, response.status);
  }
  return json;
}

const listV2 = (contact, outputType, nextToken) => call(
  `/contact/list-real-time-analysis-segments-v2/${encodeURIComponent(contact.instanceId)}/${encodeURIComponent(contact.contactId)}`,
  { OutputType: outputType, SegmentTypes: ALL_TYPES, MaxResults: 100, ...(nextToken ? { NextToken: nextToken } : {}) });

const listV1 = (contact, nextToken, maxResults = 100) => call("/realtime-contact-analysis/analysis-segments",
  { InstanceId: contact.instanceId, ContactId: contact.contactId, MaxResults: maxResults, ...(nextToken ? { NextToken: nextToken } : {}) });

/** The channel a refusal says the contact has ("… supports CHAT contacts; contact X is a VOICE contact."), if it says. */
const channelOf = (error) => error.type === "InvalidRequestException" && /is a (VOICE|CHAT) contact/.exec(error.message || "")?.[1];

// ---------------------------------------------------------------- one contact's view

let view = null;

class ContactView {
  constructor(contact, outputType) {
    this.contact = contact;
    this.outputType = outputType;
    this.held = 0; // the stream position of the last segment shown (push frames carry positions)
    this.nextToken = null;
    this.count = 0;
    this.transcripts = new Map(); // transcript Id -> its element
    this.categories = new Map(); // category -> transcript Ids (V2) or time ranges (V1)
    this.turns = new OpenTurns(); // a call's partial transcripts: which to show
    this.partials = new Map(); // TranscriptId -> the element showing its partial transcript
    this.pushRefused = false; // the live API does not serve this contact's subscription (a server before voice push)
    this.closed = false;
    this.pending = null; // segments built but not yet on the page
    this.socket = null;
    this.timer = null;
  }

  start() {
    $("#conversation").replaceChildren();
    followingTheEnd = true;
    lastScrollTop = 0;
    $("#categories").replaceChildren();
    $("#issues").replaceChildren();
    $("#summary").replaceChildren();
    $("#banner").hidden = true;
    $("#contact-title").textContent = `${this.contact.contactId}`;
    $("#contact-instance").textContent = `instance ${this.contact.instanceId}`;
    document.querySelectorAll("#output button").forEach((b) => b.classList.toggle("active", b.dataset.output === this.outputType));
    $("#output").hidden = this.voice;
    this.setStatus(this.contact.status || "");
    if (settings.liveUrl) {
      this.connect();
    } else {
      this.poll();
    }
  }

  get voice() {
    return this.contact.channel === "VOICE";
  }

  /** The contact's channel is not the one it was opened as (a refusal said so): open it again as what it is. */
  reopenAs(channel) {
    open({ ...this.contact, channel }, this.outputType);
  }

  stop() {
    this.closed = true;
    clearTimeout(this.timer);
    if (this.socket) this.socket.close();
  }

  mode(text) {
    $("#mode").textContent = text;
  }

  setStatus(status) {
    const badge = $("#status");
    badge.textContent = status ? status.replace("_", " ").toLowerCase() : "";
    badge.className = "badge " + (status || "").toLowerCase();
  }

  fail(error) {
    const banner = $("#banner");
    banner.hidden = false;
    banner.className = error.type === "AccessDeniedException" ? "banner denied" : "banner";
    banner.querySelector("strong").textContent = error.type || "Error";
    banner.querySelector("span").textContent = error.message;
    this.mode("stopped");
  }

  // --- push (V2 for chat, V1 with partial transcripts for voice), with polling as the fallback
  async connect() {
    this.mode("connecting…");
    let url = settings.liveUrl;
    if (credentials()) url = await presign({ url, region: settings.region, credentials: credentials() });
    const socket = new WebSocket(url);
    this.socket = socket;
    let subscribed = false;
    const voice = this.voice;
    const from = this.nextToken ? { NextToken: this.nextToken } : {};
    socket.onopen = () => socket.send(JSON.stringify(voice
      ? { action: "subscribe", Operation: V1, InstanceId: this.contact.instanceId, ContactId: this.contact.contactId, ...from, Partials: true }
      : { action: "subscribe", InstanceId: this.contact.instanceId, ContactId: this.contact.contactId,
        OutputType: this.outputType, SegmentTypes: ALL_TYPES, ...from }));
    socket.onmessage = (message) => {
      const frame = JSON.parse(message.data);
      switch (frame.Type) {
        case "Subscribed":
          subscribed = true;
          this.contact.channel = frame.Channel || this.contact.channel;
          this.setStatus(frame.Status);
          this.mode("live");
          break;
        case "Segments":
          this.setStatus(frame.Status);
          this.applyPushed(frame);
          break;
        case "Partial":
          this.partial(frame);
          break;
        case "End":
          this.setStatus(frame.Status);
          this.mode("ended");
          this.closed = true;
          socket.close();
          break;
        case "Error": {
          const channel = channelOf({ type: frame.ErrorType, message: frame.Message });
          if (channel && channel !== this.contact.channel) {
            // Opened by its IDs alone (or as the other channel): subscribe as what the contact is.
            this.closed = true;
            socket.close();
            this.reopenAs(channel);
            break;
          }
          if (voice && frame.ErrorType === "InvalidRequestException") {
            // A live API that does not push voice contacts (before voice subscriptions): read V1 by polling.
            this.pushRefused = true;
            socket.close();
            break;
          }
          if (frame.ErrorType === "InternalServiceException" || frame.ErrorType === "ThrottlingException") {
            socket.close(); // the subscribe failed for now: poll from the token held, then subscribe again
            break;
          }
          this.closed = true;
          this.fail({ type: frame.ErrorType, message: frame.Message });
          socket.close();
          break;
        }
      }
    };
    socket.onclose = () => {
      if (this.closed || this.socket !== socket) return;
      // Push is not available (or went away): poll the list operation, and try push again later.
      this.mode(this.pushRefused ? "polling (V1)" : subscribed ? "reconnecting (polling)" : "polling");
      this.poll(!this.pushRefused);
    };
  }

  async applyPushed(frame) {
    for (const entry of frame.Segments) {
      if (entry.Position <= this.held) continue; // sent again: already shown
      if (entry.Omitted) {
        // Too large for a frame: read it with the list operation.
        const page = this.voice ? await listV1(this.contact, entry.NextToken, 1) : await listV2(this.contact, this.outputType, entry.NextToken);
        page.Segments.slice(0, 1).forEach((s) => this.add(s, this.voice));
      } else {
        this.add(entry.Segment, this.voice);
      }
      this.held = entry.Position;
    }
    this.nextToken = frame.NextToken;
  }

  /** Polls the list operation of the contact's channel (V2 for chat, V1 for voice) from the token held. */
  async poll(thenReconnect = false) {
    let attempts = 0;
    const tick = async () => {
      if (this.closed) return;
      try {
        const page = this.voice ? await listV1(this.contact, this.nextToken) : await listV2(this.contact, this.outputType, this.nextToken);
        if (!this.voice) this.contact.channel = page.Channel;
        page.Segments.forEach((s) => this.add(s, this.voice));
        this.nextToken = page.NextToken;
        // V1 pages carry no status: a voice contact's stream ends (no NextToken) once the contact is over.
        this.setStatus(this.voice ? (page.NextToken ? "IN_PROGRESS" : "COMPLETED") : page.Status);
        if (!page.NextToken) {
          this.mode("ended");
          return;
        }
        if (thenReconnect && ++attempts >= 5 && settings.liveUrl) {
          this.connect(); // catch-up continues through push from the token held
          return;
        }
        this.timer = setTimeout(tick, page.Segments.length === 100 ? 0 : POLL_MS);
      } catch (error) {
        const channel = channelOf(error);
        if (channel && channel !== this.contact.channel) {
          this.reopenAs(channel);
          return;
        }
        this.fail(error);
      }
    };
    tick();
  }

  // --- rendering
  // Segments arrive a page or a frame at a time: they are built at once and appended together, one layout per batch
  // (a catch-up of 10,000 segments is a hundred appends, not ten thousand).
  add(segment, v1 = false) {
    const [type, body] = Object.entries(segment)[0] || [];
    let item = null;
    switch (type) {
      case "Transcript":
        item = transcript(body, v1);
        if (v1) {
          if (this.transcripts.has(body.Id)) return; // a turn's final transcript is shown once
          this.turns.close(body.Id);
          const partial = this.partials.get(body.Id);
          if (partial) { // the final transcript of the partial shown: it takes the partial's place
            this.partials.delete(body.Id);
            settle(partial, item);
            partial.dataset.index = String(++this.count);
            this.transcripts.set(body.Id, partial);
            return;
          }
        }
        this.transcripts.set(body.Id, item);
        break;
      case "Event": item = event(body); break;
      case "Attachments": item = attachments(body); break;
      case "Issues": this.issues(body); break;
      case "Categories": this.categoriesOf(body, v1); break;
      case "PostContactSummary": summary(body); break;
      case "ExtractedInformation": extracted(body); break;
      default: break;
    }
    if (!item) return;
    item.dataset.index = String(++this.count);
    if (!this.pending) {
      this.pending = document.createDocumentFragment();
      setTimeout(() => this.flush(), 0);
    }
    this.pending.append(item);
  }

  flush() {
    if (view !== this) return; // another contact was opened meanwhile
    const list = $("#conversation");
    const pending = this.pending;
    this.pending = null;
    keepingTheEnd(list, () => {
      if (this.voice) [...pending.children].forEach((turn) => place(list, turn)); // a call's turns in spoken order
      else list.append(pending);
    });
    $("#count").textContent = `${this.count.toLocaleString()} segment${this.count === 1 ? "" : "s"}`;
  }

  /** A Partial frame: the words of an open transcript so far, shown provisionally until its final transcript comes. */
  partial(frame) {
    if (!this.turns.accept(frame)) return; // an older or repeated revision, or its final has come: stale
    const item = transcript({
      Id: frame.TranscriptId, ParticipantId: frame.ParticipantId, ParticipantRole: frame.ParticipantRole,
      Content: frame.Content, BeginOffsetMillis: frame.BeginOffsetMillis, EndOffsetMillis: frame.EndOffsetMillis,
    }, true);
    item.classList.add("partial");
    item.querySelector("header").append(element("span", "speaking", "speaking…"));
    const shown = this.partials.get(frame.TranscriptId);
    if (shown) {
      settle(shown, item);
      return;
    }
    this.partials.set(frame.TranscriptId, item);
    const list = $("#conversation");
    keepingTheEnd(list, () => place(list, item));
  }

  issues(body) {
    for (const issue of body.IssuesDetected || []) {
      for (const item of issue.TranscriptItems || []) {
        const element = this.transcripts.get(item.Id);
        if (element) {
          element.classList.add("has-issue");
          if (item.CharacterOffsets) markText(element.querySelector(".text"), item.CharacterOffsets, "issue");
        }
        const entry = document.createElement("li");
        entry.textContent = (item.Content || element?.querySelector(".text")?.textContent || item.Id).slice(0, 140);
        entry.onclick = () => element?.scrollIntoView({ block: "center", behavior: "smooth" });
        $("#issues").append(entry);
      }
    }
  }

  categoriesOf(body, v1) {
    const matched = v1 ? body.MatchedCategories || [] : Object.keys(body.MatchedDetails || {});
    for (const name of matched) {
      const points = body.MatchedDetails?.[name]?.PointsOfInterest || [];
      // V2 points at transcripts by Id; V1 (voice) at stretches of the call, as offsets
      const ids = v1 ? points : points.flatMap((p) => (p.TranscriptItems || []).map((t) => t.Id));
      if (!this.categories.has(name)) {
        this.categories.set(name, new Set());
        const chip = document.createElement("button");
        chip.className = "chip";
        chip.textContent = name;
        chip.onclick = () => this.highlight(name);
        $("#categories").append(chip);
      }
      ids.forEach((id) => this.categories.get(name).add(id));
    }
  }

  highlight(name) {
    document.querySelectorAll(".segment.highlight").forEach((e) => e.classList.remove("highlight"));
    let first = null;
    const points = [...(this.categories.get(name) || [])];
    const elements = this.voice
      ? [...this.transcripts.values()].filter((e) => points.some((p) => overlaps(e, p)))
      : points.map((id) => this.transcripts.get(id)).filter(Boolean);
    for (const element of elements) {
      element.classList.add("highlight");
      first = first || element;
    }
    first?.scrollIntoView({ block: "center", behavior: "smooth" });
  }
}

// ---------------------------------------------------------------- segment elements

/**
 * Whether the conversation follows its end: a reader who scrolls up stops it, scrolling back to the end starts it again.
 * Told by the direction of scrolling, not by measuring the distance to the end at each change: a scroll event comes a
 * frame late, when more turns may have been added below (a call's catch-up, a burst of frames), and the end has moved
 * away without the reader doing anything.
 */
let followingTheEnd = true;
let lastScrollTop = 0;

function followTheEndFrom(list) {
  list.addEventListener("scroll", () => {
    const top = list.scrollTop;
    if (list.scrollHeight - top - list.clientHeight < 40) followingTheEnd = true;
    else if (top < lastScrollTop) followingTheEnd = false; // scrolled up: the reader reads back
    lastScrollTop = top;
  });
}

/**
 * The last turn, watched: it is laid out a frame after it is added (content-visibility gives it an estimated height
 * until then), and when its height becomes real the end moves; a reader following the end follows it there.
 */
const lastTurnSized = new ResizeObserver(() => {
  const list = $("#conversation");
  if (followingTheEnd) list.scrollTop = list.scrollHeight;
});

/** Changes the conversation, keeping it scrolled to its end while the reader follows it (one scrolled up stays put). */
function keepingTheEnd(list, change) {
  change();
  if (!followingTheEnd) return;
  list.scrollTop = list.scrollHeight;
  lastTurnSized.disconnect();
  if (list.lastElementChild) lastTurnSized.observe(list.lastElementChild);
}

/** A turn shown takes what another element of it shows, in place (the same element: the same place in the call). */
function settle(shown, next) {
  shown.className = next.className;
  Object.assign(shown.dataset, next.dataset);
  shown.replaceChildren(...next.childNodes);
}

/** Whether a turn of a call overlaps a V1 point of interest (offsets in the call). */
function overlaps(turn, point) {
  return Number(turn.dataset.begin) < point.EndOffsetMillis && point.BeginOffsetMillis < Number(turn.dataset.end);
}

function time(body) {
  const absolute = body.Time?.AbsoluteTime;
  if (absolute) return new Date(absolute).toLocaleTimeString();
  if (body.BeginOffsetMillis !== undefined) {
    const s = Math.floor(body.BeginOffsetMillis / 1000);
    return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
  }
  return "";
}

function element(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

function transcript(body, v1) {
  const role = (body.ParticipantRole || "").toLowerCase();
  const item = element("article", `segment transcript role-${role} sentiment-${(body.Sentiment || "none").toLowerCase()}`);
  item.dataset.id = body.Id;
  if (v1) {
    item.dataset.begin = String(body.BeginOffsetMillis ?? 0);
    item.dataset.end = String(body.EndOffsetMillis ?? 0);
  }
  const head = element("header");
  head.append(element("span", "who", who(body)));
  head.append(element("time", "", time(body)));
  if (body.Sentiment) head.append(element("span", `sentiment ${body.Sentiment.toLowerCase()}`, body.Sentiment.toLowerCase()));
  const text = element("p", "text", body.Content);
  item.append(head, text);
  markText(text, (body.Redaction?.CharacterOffsets) || [], "redacted");
  markText(text, (body.IssuesDetected || []).map((i) => i.CharacterOffsets).filter(Boolean), "issue");
  if (v1) item.classList.add("voice");
  return item;
}

/** The participant as a person reads it: the display name, with the role when the name does not say it already. */
function who(body) {
  const role = (body.ParticipantRole || "").toLowerCase().replace("_", " ");
  const name = body.DisplayName && !/^\[.*\]$/.test(body.DisplayName) ? body.DisplayName : "";
  if (!name) return role || body.ParticipantId || "";
  return name.toLowerCase() === role || !role ? name : `${name} · ${role}`;
}

/** Marks character ranges of a text element (ranges already marked stay as they are). */
function markText(text, ranges, className) {
  if (!text || !ranges.length) return;
  const content = text.textContent;
  const sorted = [...ranges].sort((a, b) => a.BeginOffsetChar - b.BeginOffsetChar);
  const parts = [];
  let at = 0;
  for (const r of sorted) {
    const begin = Math.max(at, r.BeginOffsetChar);
    const end = Math.min(content.length, r.EndOffsetChar);
    if (end <= begin) continue;
    parts.push(document.createTextNode(content.slice(at, begin)));
    parts.push(element("mark", className, content.slice(begin, end)));
    at = end;
  }
  if (!parts.length) return;
  parts.push(document.createTextNode(content.slice(at)));
  text.replaceChildren(...parts);
}

function event(body) {
  const kind = (body.EventType || "").replace(/^application\/vnd\.amazonaws\.connect\.event\./, "").replace(/[._]/g, " ");
  const item = element("div", "segment event");
  item.append(element("span", "", `${body.DisplayName || (body.ParticipantRole || "").toLowerCase() || "system"} · ${kind}`));
  item.append(element("time", "", time(body)));
  return item;
}

function attachments(body) {
  const item = element("div", `segment attachments role-${(body.ParticipantRole || "").toLowerCase()}`);
  item.append(element("header", "", `${body.DisplayName || (body.ParticipantRole || "").toLowerCase()} shared`));
  for (const file of body.Attachments || []) {
    const chip = element("span", `file ${(file.Status || "").toLowerCase()}`, file.AttachmentName);
    chip.title = `${file.ContentType || ""} ${file.Status || ""}`.trim();
    item.append(chip);
  }
  return item;
}

function summary(body) {
  const card = element("div", `summary ${(body.Status || "").toLowerCase()}`);
  card.append(element("h3", "", body.Status === "FAILED" ? "Summary not available" : "Post-contact summary"));
  card.append(element("p", "", body.Content || (body.FailureCode || "").replace(/_/g, " ").toLowerCase()));
  $("#summary").replaceChildren(card);
}

function extracted(body) {
  const card = element("div", "summary extracted");
  card.append(element("h3", "", body.ExtractionDefinitionName || "Extracted information"));
  for (const value of body.ExtractedValues || []) card.append(element("p", "", value.Content));
  $("#summary").append(card);
}

// ---------------------------------------------------------------- the page

function open(contact, outputType = "Raw") {
  view?.stop();
  view = new ContactView(contact, outputType);
  view.start();
  const params = new URLSearchParams({ instance: contact.instanceId, contact: contact.contactId, output: outputType });
  if (contact.channel) params.set("channel", contact.channel);
  history.replaceState(null, "", `?${params}`);
  document.querySelectorAll("#contacts li").forEach((li) => li.classList.toggle("active", li.dataset.contact === contact.contactId));
}

const openListed = (c) => open({ instanceId: c.InstanceId, contactId: c.ContactId, channel: c.Channel, status: c.Status },
  c.OutputTypes.includes("Raw") ? "Raw" : "Redacted");

/** Lists the local runtime's contacts in the picker, newest first; the list (empty where there is none). */
async function loadContacts() {
  const list = $("#contacts");
  try {
    const response = await fetch(settings.apiUrl.replace(/\/$/, "") + "/local/contacts");
    if (!response.ok) throw new Error();
    const contacts = await response.json();
    list.replaceChildren(...contacts.map((c) => {
      const li = element("li");
      li.dataset.contact = c.ContactId;
      li.append(element("span", "id", c.ContactId), element("span", `badge ${c.Status.toLowerCase()}`, c.Channel.toLowerCase()));
      li.onclick = () => openListed(c);
      return li;
    }));
    $("#picker").hidden = false;
    if (view) list.querySelector(`li[data-contact="${CSS.escape(view.contact.contactId)}"]`)?.classList.add("active");
    return contacts;
  } catch {
    $("#picker").hidden = true; // a deployed stack lists no contacts: enter the IDs
    return [];
  }
}

function init() {
  followTheEndFrom($("#conversation"));
  const form = $("#settings");
  for (const [name, value] of Object.entries(settings)) if (form.elements[name]) form.elements[name].value = value;
  form.onsubmit = (e) => {
    e.preventDefault();
    settings = Object.fromEntries(Object.keys(defaults()).map((k) => [k, form.elements[k].value.trim()]));
    localStorage.setItem("rtca.viewer", JSON.stringify(settings));
    loadContacts();
    if (view) open(view.contact, view.outputType);
  };
  $("#open").onsubmit = (e) => {
    e.preventDefault();
    const f = e.target.elements;
    open({ instanceId: f.instance.value.trim(), contactId: f.contact.value.trim() });
  };
  document.querySelectorAll("#output button").forEach((b) => {
    b.onclick = () => view && open(view.contact, b.dataset.output);
  });
  const listed = loadContacts();
  const params = new URLSearchParams(location.search);
  if (params.get("instance") && params.get("contact")) {
    open({ instanceId: params.get("instance"), contactId: params.get("contact"), channel: params.get("channel") || undefined },
      params.get("output") || "Raw");
  } else {
    // Nothing asked for: land on the newest contact in progress (locally, the demo call), if there is one.
    listed.then((contacts) => {
      const live = contacts.find((c) => c.Status === "IN_PROGRESS");
      if (live && !view) openListed(live);
    });
  }
}

init();
