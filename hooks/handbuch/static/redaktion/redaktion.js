// Starts the form editor (Decap CMS, loaded before this module by index.html) with the
// handbook's save format, the yes/no/"keine Angabe" widget and the project's file names.
import { YAML } from "./yaml/index.js";
import { createFormat, FILE_NAME } from "./format.js";
import { slugify } from "./slugs.js";

const settings = JSON.parse(document.getElementById("redaktion-einstellungen").textContent);
if (!settings.bereit) {
  // Not set up on this site (docs/entwicklung/redaktion.md): Decap is not started at all.
  document.getElementById("nicht-eingerichtet").hidden = false;
  throw new Error("Formular-Editor nicht eingerichtet");
}
const config = YAML.parse(await (await fetch("config.yml")).text());
const collection = config.collections[0];

CMS.registerCustomFormat(collection.format, collection.extension,
  createFormat(YAML, collection.fields, settings.kopf));

// Optional yes/no answers: a toggle knows only true and false, but a missing answer is
// "keine Angabe" (DESIGN.md), so the form offers all three; "keine Angabe" removes the key.
const CHOICES = [["", settings.texte.keine_angabe], ["true", settings.texte.ja], ["false", settings.texte.nein]];
const JaNeinControl = createClass({
  render() {
    const { value, onChange, forID, classNameWrapper, setActiveStyle, setInactiveStyle } = this.props;
    const current = value === true ? "true" : value === false ? "false" : "";
    return h("select", {
      id: forID, className: classNameWrapper, value: current, onFocus: setActiveStyle, onBlur: setInactiveStyle,
      onChange: (event) => onChange(event.target.value === "" ? null : event.target.value === "true"),
    }, CHOICES.map(([choice, label]) => h("option", { key: choice, value: choice }, label)));
  },
});
// No preview component: the editor runs without a preview pane (config: editor.preview false).
CMS.registerWidget(settings.janein, JaNeinControl);

// A new record's file name follows the project's rule; the format does not write it.
CMS.registerEventListener({
  name: "preSave",
  handler: ({ entry }) => {
    const data = entry.get("data");
    return entry.get("newRecord") ? data.set(FILE_NAME, slugify(data.get("name"))) : data;
  },
});

// The whole configuration is handed over here: Decap ignores a config.yml that the server
// does not label as YAML (mkdocs serve does not), and the backend comes from the start page.
window.initCMS({ config: { ...config, ...settings.config, load_config_file: false } });
