/**
 * The people the demo's source documents name, recorded as people so that each can be forgotten: their name and
 * title as the sources give them, the institution they act for, and every way the dataset's quotes, summaries
 * and details write their name. Ids are opaque (where, not who), so they can outlive an erasure.
 */
import type { Named } from "../../events/personal-data/mentions";

export interface DemoPerson extends Named {
  readonly institutionId: string;
  readonly name: string;
  readonly role: string | null;
}

export const DEMO_PEOPLE: readonly DemoPerson[] = [
  {
    personId: "person-aphp-1",
    institutionId: "aphp",
    name: "Mireille Faugère",
    role: "directrice générale de l'AP-HP",
    writings: ["Mireille Faugère"],
  },
  {
    personId: "person-beijing-1",
    institutionId: "beijing-municipal-health-bureau",
    name: "Fang Laying",
    role: "directeur général du bureau municipal de la santé de Pékin",
    writings: ["Fang Laying"],
  },
  {
    personId: "person-amiens-1",
    institutionId: "chu-amiens",
    name: "Jean-Philippe Lanoix",
    role: "chef de service des maladies infectieuses et tropicales",
    writings: ["Jean-Philippe Lanoix"],
  },
  {
    personId: "person-djibouti-1",
    institutionId: "centre-jeune-diabetique-djibouti",
    name: "Abdourahman Douksie",
    role: "diabétologue pédiatre, directeur du centre du jeune diabétique",
    writings: ["Abdourahman Douksie", "Abdourah- man Douksie", "Douksie"],
  },
  {
    personId: "person-angers-1",
    institutionId: "chu-angers",
    name: "Bouhours-Nouet",
    role: "pédiatre diabétologue",
    writings: ["Bouhours-Nouet"],
  },
  {
    personId: "person-chaine-1",
    institutionId: "chaine-de-l-espoir",
    name: "Alain Deloche",
    role: "fondateur de La Chaîne de l'espoir",
    writings: ["Alain Deloche"],
  },
  {
    personId: "person-jacques-cartier-1",
    institutionId: "centre-jacques-cartier",
    name: "Alain Bideau",
    role: "chercheur au CNRS, cofondateur du centre Jacques-Cartier",
    writings: ["Alain Bideau"],
  },
  {
    personId: "person-jacques-cartier-2",
    institutionId: "centre-jacques-cartier",
    name: "Charles Mérieux",
    role: "cofondateur du centre Jacques-Cartier",
    writings: ["Charles Mérieux"],
  },
  {
    personId: "person-nancy-1",
    institutionId: "chru-nancy",
    name: "Marie-Caroline Mayeux",
    role: "IPA en hémato-oncologie et IDE d'annonce",
    writings: ["Marie-Caroline Mayeux"],
  },
  {
    personId: "person-dakar-1",
    institutionId: "chu-dakar",
    name: "Saliou Diop",
    role: "chef du service d'hématologie",
    writings: ["Saliou Diop"],
  },
  {
    personId: "person-nancy-2",
    institutionId: "chru-nancy",
    name: "Pierre Feugier",
    role: "chef du service d'hématologie",
    writings: ["Pierre Feugier"],
  },
  {
    personId: "person-rennes-1",
    institutionId: "chu-rennes",
    name: "Jean-Marc Chapplain",
    role: "infectiologue",
    writings: ["Jean-Marc Chapplain"],
  },
  {
    personId: "person-rennes-2",
    institutionId: "chu-rennes",
    name: "Nathalie Giovannacci",
    role: "directrice de la qualité et des relations avec les usagers",
    writings: ["Nathalie Giovannacci"],
  },
  {
    personId: "person-rouen-1",
    institutionId: "chu-rouen",
    name: "Alain Diguet",
    role: null,
    writings: ["Alain Diguet"],
  },
  {
    personId: "person-rouen-2",
    institutionId: "chu-rouen",
    name: "Fabienne Darcet",
    role: null,
    writings: ["Fabienne Darcet"],
  },
  {
    personId: "person-saint-etienne-1",
    institutionId: "chu-saint-etienne",
    name: "Julie Chauvel-Picard",
    role: "chirurgienne maxillo-faciale",
    writings: ["Julie Chauvel-Picard"],
  },
];
