// The names of the emoji in a device verification, in the reader's language. The shell sends each
// emoji with its English name from the Matrix spec's table (part of the protocol); both people
// read the names aloud to each other, so each should see them in their own language.

import { translate, type Locale, type PlainMessageKey } from "../../i18n";

/** The spec's English name of each of the 64 emoji, and the message that names it. */
export const SAS_EMOJI_NAMES = {
  Dog: "conversations.verify.emoji.dog",
  Cat: "conversations.verify.emoji.cat",
  Lion: "conversations.verify.emoji.lion",
  Horse: "conversations.verify.emoji.horse",
  Unicorn: "conversations.verify.emoji.unicorn",
  Pig: "conversations.verify.emoji.pig",
  Elephant: "conversations.verify.emoji.elephant",
  Rabbit: "conversations.verify.emoji.rabbit",
  Panda: "conversations.verify.emoji.panda",
  Rooster: "conversations.verify.emoji.rooster",
  Penguin: "conversations.verify.emoji.penguin",
  Turtle: "conversations.verify.emoji.turtle",
  Fish: "conversations.verify.emoji.fish",
  Octopus: "conversations.verify.emoji.octopus",
  Butterfly: "conversations.verify.emoji.butterfly",
  Flower: "conversations.verify.emoji.flower",
  Tree: "conversations.verify.emoji.tree",
  Cactus: "conversations.verify.emoji.cactus",
  Mushroom: "conversations.verify.emoji.mushroom",
  Globe: "conversations.verify.emoji.globe",
  Moon: "conversations.verify.emoji.moon",
  Cloud: "conversations.verify.emoji.cloud",
  Fire: "conversations.verify.emoji.fire",
  Banana: "conversations.verify.emoji.banana",
  Apple: "conversations.verify.emoji.apple",
  Strawberry: "conversations.verify.emoji.strawberry",
  Corn: "conversations.verify.emoji.corn",
  Pizza: "conversations.verify.emoji.pizza",
  Cake: "conversations.verify.emoji.cake",
  Heart: "conversations.verify.emoji.heart",
  Smiley: "conversations.verify.emoji.smiley",
  Robot: "conversations.verify.emoji.robot",
  Hat: "conversations.verify.emoji.hat",
  Glasses: "conversations.verify.emoji.glasses",
  Spanner: "conversations.verify.emoji.spanner",
  Santa: "conversations.verify.emoji.santa",
  "Thumbs Up": "conversations.verify.emoji.thumbsUp",
  Umbrella: "conversations.verify.emoji.umbrella",
  Hourglass: "conversations.verify.emoji.hourglass",
  Clock: "conversations.verify.emoji.clock",
  Gift: "conversations.verify.emoji.gift",
  "Light Bulb": "conversations.verify.emoji.lightBulb",
  Book: "conversations.verify.emoji.book",
  Pencil: "conversations.verify.emoji.pencil",
  Paperclip: "conversations.verify.emoji.paperclip",
  Scissors: "conversations.verify.emoji.scissors",
  Lock: "conversations.verify.emoji.lock",
  Key: "conversations.verify.emoji.key",
  Hammer: "conversations.verify.emoji.hammer",
  Telephone: "conversations.verify.emoji.telephone",
  Flag: "conversations.verify.emoji.flag",
  Train: "conversations.verify.emoji.train",
  Bicycle: "conversations.verify.emoji.bicycle",
  Aeroplane: "conversations.verify.emoji.aeroplane",
  Rocket: "conversations.verify.emoji.rocket",
  Trophy: "conversations.verify.emoji.trophy",
  Ball: "conversations.verify.emoji.ball",
  Guitar: "conversations.verify.emoji.guitar",
  Trumpet: "conversations.verify.emoji.trumpet",
  Bell: "conversations.verify.emoji.bell",
  Anchor: "conversations.verify.emoji.anchor",
  Headphones: "conversations.verify.emoji.headphones",
  Folder: "conversations.verify.emoji.folder",
  Pin: "conversations.verify.emoji.pin",
} as const satisfies Record<string, PlainMessageKey>;

// A map, so that a name such as "constructor" finds nothing rather than an object's own property.
const MESSAGES = new Map<string, PlainMessageKey>(Object.entries(SAS_EMOJI_NAMES));

/**
 * The name of an emoji in `locale`, from the English name the shell sent. A name the table does
 * not know (the spec may add emoji one day) is shown as sent, never as a message key.
 */
export function emojiName(locale: Locale, englishName: string): string {
  const key = MESSAGES.get(englishName);
  return key === undefined ? englishName : translate(locale, key);
}
