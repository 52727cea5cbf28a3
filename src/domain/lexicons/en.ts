/** English. */
import type { LanguageLexicon } from "./lexicon.ts";

const WORDS = `i me my mine you your yours he him his she her hers we us our they them their it its this that these those
  the a an is are was were be been being am do does did done have has had having will would can could should shall
  may might must not no yes and or but if then so because of to in on at for from with without by about into out
  up down over under again what who whom whose which where when why how there here please thanks thank hello hi hey
  want need get got go going went come came help stuck trapped lost took taken kept keep give back home ticket flight
  plane fly passport embassy number phone address open time what now today tomorrow someone somebody anyone person
  people real human staff talk speak call brother sister son daughter husband wife mother father mom dad family friend
  cousin nephew niece relative relatives parents boss company money pay fee cost free scam fake really true know
  morning evening afternoon night good much many lot very just only also still already all any some new old last
  next before after while until during can_not do_not will_not i_am did_not does_not is_not has_not have_not
  delete hide safe stay watched checked read see message messages conversation report register find weather football
  joke movie cook translate name buy best tell won match is working works writing waiting leave land arrived
  escaped happens return process long day days week weeks month months year years document documents police
  emergency complaint trafficking should what whats let lets oh well sure okay via than too mandatory
  app application apply register registered without stuck there anything something nothing
  make made take like sure nobody know knew send sent work tell told ask asked said says say think feel look put
  way thing things right wrong there their other another every each such own same both few more most`;

export const ENGLISH: LanguageLexicon = {
  words: WORDS.split(/\s+/).filter((w) => w !== ""),
  suffixes: ["s"],
  affix: /^\p{L}{3,}(?:ing|ed|tion|ly|ness)$/u,
  // English suffixes are more specific than Indonesian prefixes ("meeting" is English)
  affixPriority: 1,
  cancel: ["cancel", "stop", "exit", "quit"],
  back: ["back", "previous"],
  particles: ["please", "pls", "thanks"],
};
