// File names of new records, as hooks/handbuch/slugs.py makes them: "Musterdorf Süd" ->
// "musterdorf-sued" (Decap's own ascii slugs would drop the umlaut's e).
export function slugify(text) {
  const lower = String(text ?? "").toLowerCase()
    .replaceAll("ä", "ae").replaceAll("ö", "oe").replaceAll("ü", "ue").replaceAll("ß", "ss");
  const plain = lower.normalize("NFKD").replace(/\p{M}/gu, "");
  return plain.replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "") || "eintrag";
}
